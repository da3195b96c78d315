/**
 * The PORTS column of `docker service ls`, as docker/cli:cli/command/service/formatter.go
 * (serviceContext.Ports) prints it: ingress ports only, sorted by protocol then published port,
 * consecutive published and target ports folded into ranges.
 */
import { expect, test } from 'vitest';
import type { Service } from '../../model/index.ts';
import type { PortConfig } from '../../model/spec.ts';
import { servicePorts } from '../../scenario/tables.ts';

const port = (
  publishedPort: number,
  targetPort: number,
  protocol: PortConfig['protocol'] = 'tcp',
  mode: PortConfig['mode'] = 'ingress',
): PortConfig => ({
  protocol,
  targetPort,
  publishedPort,
  mode,
});
const ports = (...ps: PortConfig[]) => servicePorts({ ports: ps } as Service);

test('host-mode ports are left out (docker service ps shows them)', () => {
  expect(ports(port(9090, 80, 'tcp', 'host'))).toBe('');
  expect(ports(port(8080, 80), port(9090, 80, 'tcp', 'host'))).toBe('*:8080->80/tcp');
});

test('sorted by protocol, then published port', () => {
  expect(ports(port(8081, 81, 'udp'), port(9000, 90), port(8080, 80))).toBe(
    '*:8080->80/tcp, *:9000->90/tcp, *:8081->81/udp',
  );
  expect(ports(port(5000, 50, 'udp'), port(6000, 60, 'sctp'))).toBe('*:6000->60/sctp, *:5000->50/udp');
});

test('consecutive published and target ports fold into one range', () => {
  expect(ports(port(30001, 81), port(30000, 80), port(30002, 82))).toBe('*:30000-30002->80-82/tcp');
  // Consecutive published ports with a gap in the targets do not fold.
  expect(ports(port(30000, 80), port(30001, 90))).toBe('*:30000->80/tcp, *:30001->90/tcp');
  // The same protocol is required.
  expect(ports(port(30000, 80), port(30001, 81, 'udp'))).toBe('*:30000->80/tcp, *:30001->81/udp');
});

test('a target port that goes back down starts a new range (unsigned arithmetic in Go)', () => {
  expect(ports(port(30000, 81), port(30001, 80))).toBe('*:30000->81/tcp, *:30001->80/tcp');
  // A single-port range takes the next port even with an equal target (only a range checks overlap).
  expect(ports(port(30000, 80), port(30001, 80))).toBe('*:30000-30001->80/tcp');
  expect(ports(port(30000, 80), port(30001, 81), port(30002, 81))).toBe(
    '*:30000-30001->80-81/tcp, *:30002->81/tcp',
  );
});
