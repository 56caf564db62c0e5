#!/usr/bin/env node
// `npx localrank <command>`: the shop owner's tools. Runs the TypeScript sources through tsx (the same src/model
// code the browser bundles), so there is no separate build step for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../cli/localrank.ts');
