import { perfdataMain } from '../perfdata';
import { runCli } from '../run';

runCli('porthole-perfdata', perfdataMain);
