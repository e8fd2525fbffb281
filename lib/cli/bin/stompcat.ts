import { runCli } from '../run';
import { stompcatMain } from '../stompcat';

runCli('stompcat', stompcatMain);
