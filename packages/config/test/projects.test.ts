import { expect } from 'chai';
import { parseWith, sectionFailure as failure, yaml } from './helpers.js';

describe('lading.projects', () => {
  it('reads a SQLite model with its defaults, and lets the token service go without a users file', () => {
    const { config } = parseWith(yaml`
      lading:
        tokenservice: {issuer: lading, services: [registry], key: /k.pem}
        projects:
          database: {sqlite: /var/lib/lading/lading.db}
    `);
    expect(config.lading.projects).to.deep.equal({
      database: { sqlite: '/var/lib/lading/lading.db' },
      apipath: '/api/v1',
      bcryptcost: 12,
    });
    expect(config.lading.tokenservice).to.not.have.property('users');
  });

  it('reads PostgreSQL with a pool size, an API path and a bcrypt cost, also from the environment', () => {
    const { config } = parseWith(
      yaml`
      lading:
        projects:
          database: {postgres: 'postgres://lading@db:5432/lading', maxconnections: 4}
          apipath: /forge/api
    `,
      { REGISTRY_LADING_PROJECTS_BCRYPTCOST: '10' },
    );
    expect(config.lading.projects).to.deep.equal({
      database: { postgres: 'postgres://lading@db:5432/lading', maxconnections: 4 },
      apipath: '/forge/api',
      bcryptcost: 10,
    });
  });

  it('names what is missing or wrong', () => {
    const cases: [string, string][] = [
      ['lading: {projects: {}}', 'lading.projects.database'],
      [
        'lading: {projects: {database: {sqlite: /a, postgres: "postgres://b"}}}',
        'lading.projects.database',
      ],
      [
        'lading: {projects: {database: {postgres: "mysql://b"}}}',
        'lading.projects.database.postgres',
      ],
      ['lading: {projects: {database: {sqlite: /a}, apipath: api}}', 'lading.projects.apipath'],
      ['lading: {projects: {database: {sqlite: /a}, bcryptcost: 3}}', 'lading.projects.bcryptcost'],
      [
        'lading: {projects: {database: {sqlite: /a}, bcryptcost: 16}}',
        'lading.projects.bcryptcost',
      ],
      ['lading: {projects: {database: {sqlite: /a}, admins: [x]}}', 'lading.projects.admins'],
      [
        'lading: {projects: {database: {sqlite: /a}}, tokenservice: {issuer: x, services: [r], key: /k, users: /u}}',
        'lading.tokenservice.users',
      ],
    ];
    for (const [text, key] of cases) expect(failure(text).message, text).to.contain(key);
  });
});

describe('lading.notifications', () => {
  it('reads the spool directory and bound, with defaults, and refuses a tiny bound', () => {
    expect(parseWith('').config.lading.notifications).to.equal(undefined);
    expect(parseWith('lading: {notifications: {}}').config.lading.notifications).to.deep.equal({
      spooldirectory: './lading-notifications',
      maxspoolbytes: 256 * 1024 * 1024,
    });
    expect(
      parseWith(
        'lading: {notifications: {spooldirectory: /var/spool/lading, maxspoolbytes: 2097152}}',
      ).config.lading.notifications,
    ).to.deep.equal({ spooldirectory: '/var/spool/lading', maxspoolbytes: 2097152 });
    expect(failure('lading: {notifications: {maxspoolbytes: 10}}').message).to.contain(
      'lading.notifications.maxspoolbytes',
    );
  });
});
