import { digestOf } from '@lading/oci';
import { skopeo } from '@lading/registry-peers';

export interface TokenFlowOutcome {
  /** The digest of the manifest bob read back. */
  readonly pulledDigest: string;
  /** `pushed`, or the error skopeo gave when bob tried to push. */
  readonly bobPush: string;
}

/**
 * skopeo through a token flow: alice pushes the layout's tag 1 to `<host>/<repository>:1`, bob
 * reads it back and then tries to push `:2`, which the users file should refuse.
 */
export async function aliceAndBobThroughSkopeo(
  host: string,
  layout: string,
  repository: string,
): Promise<TokenFlowOutcome> {
  const target = `docker://${host}/${repository}`;
  await skopeo([
    'copy',
    '--preserve-digests',
    '--dest-tls-verify=false',
    '--dest-creds',
    'alice:alice password',
    `oci:${layout}:1`,
    `${target}:1`,
  ]);
  const raw = await skopeo([
    'inspect',
    '--raw',
    '--tls-verify=false',
    '--creds',
    'bob:bob password',
    `${target}:1`,
  ]);
  const bobPush = await skopeo([
    'copy',
    '--dest-tls-verify=false',
    '--dest-creds',
    'bob:bob password',
    `oci:${layout}:1`,
    `${target}:2`,
  ]).then(
    () => 'pushed',
    (error: unknown) => String(error),
  );
  return { pulledDigest: digestOf(Buffer.from(raw.stdout)), bobPush };
}
