import { notifyMain } from '../notify';
import { runCli } from '../run';

runCli('notify-host-by-stomp', notifyMain('host'));
