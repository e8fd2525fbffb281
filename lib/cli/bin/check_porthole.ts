import { checkPortholeMain } from '../check-porthole';
import { runCli } from '../run';

runCli('check_porthole', checkPortholeMain);
