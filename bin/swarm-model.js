#!/usr/bin/env node
// The published entry point: the sources are TypeScript, run through tsx's loader so that
// `npx swarm-model` works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
