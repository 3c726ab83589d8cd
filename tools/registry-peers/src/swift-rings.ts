import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from './run-command.js';
import { debianPython } from './swift-launcher.js';

/** The device every ring holds, a directory under the devices directory. */
export const swiftDevice = 'd1';

/** 2^8 partitions: plenty for one device, and few directories. */
export const swiftPartPower = 8;

/** Which port each ring's one device listens on. */
export interface SwiftRingPorts {
  account: number;
  container: number;
  object: number;
}

/**
 * With the RingBuilder class that swift-ring-builder drives, all three rings in one Python
 * process: swift-ring-builder would need nine (create, add, rebalance per ring), at about 0.6 s
 * each, mostly importing swift. argv: SWIFT_DIR PART_POWER DEVICE NAME=PORT...
 */
const ringsScript = `\
import os
import sys

from swift.common.ring import RingBuilder

swift_dir, part_power, device = sys.argv[1:4]
for spec in sys.argv[4:]:
    name, port = spec.split('=')
    # One replica, and min_part_hours 1 (0 would let every rebalance move partitions).
    builder = RingBuilder(int(part_power), 1, 1)
    builder.add_dev({'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port),
                     'device': device, 'weight': 100})
    builder.rebalance()
    # The builder too, so that swift-ring-builder DIR/NAME.builder can show the ring.
    builder.save(os.path.join(swift_dir, name + '.builder'))
    builder.get_ring().save(os.path.join(swift_dir, name + '.ring.gz'))
`;

/**
 * Writes account.ring.gz, container.ring.gz and object.ring.gz (storage policy 0) into
 * `swiftDirectory`: one replica on one device, `127.0.0.1:PORT/d1`, for each.
 */
export async function buildSwiftRings(
  swiftDirectory: string,
  ports: SwiftRingPorts,
): Promise<void> {
  const script = join(swiftDirectory, 'build-rings.py');
  await writeFile(script, ringsScript);
  const rings = Object.entries(ports).map(([name, port]) => `${name}=${String(port)}`);
  await runCommand(debianPython, [
    '-I',
    script,
    swiftDirectory,
    String(swiftPartPower),
    swiftDevice,
    ...rings,
  ]);
}
