#!/usr/bin/env node
// `npm run notifier:redrive [-- --template=<id>]`: puts every dead delivery (or those of one
// template) back in the notifier's queue, through its outbox, under the same Message-ID. The running
// notifier sends them. Prints how many; exits 0 when there are none.
import { runBuilt } from './run-built.mjs';

runBuilt('notifier', 'redrive.js');
