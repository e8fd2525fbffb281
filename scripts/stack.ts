import { resetStack, stackStatus, startStack, stopStack } from './stack/stack';

const USAGE = 'usage: npm run stack -- start|stop|status|reset';

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'start':
      await startStack();
      return 0;
    case 'stop':
      await stopStack();
      return 0;
    case 'status':
      return (await stackStatus()) ? 0 : 1;
    case 'reset':
      await resetStack();
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[stack] ${error.message}`);
    process.exit(1);
  },
);
