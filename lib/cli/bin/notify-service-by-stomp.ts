import { notifyMain } from '../notify';
import { runCli } from '../run';

runCli('notify-service-by-stomp', notifyMain('service'));
