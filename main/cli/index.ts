/**
 * The `seerflow` command. `--config PATH` is accepted before or after any subcommand.
 * Errors that the user can fix (config, inputs, ports) print one clear line and exit 2.
 */
import { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { InputError, runBatch } from './batch.js';
import { startCommand } from './start.js';

const program = new Command('seerflow')
  .description('Self-hosted log intelligence: ingest, template, detect, correlate, explain.')
  .version('0.1.0')
  .option('-c, --config <path>', 'configuration file (default ./seerflow.yaml, else built-in defaults)')
  .showHelpAfterError();

function configPath(command: Command): string | undefined {
  return command.optsWithGlobals<{ config?: string }>().config;
}

program
  .command('start')
  .description('run the appliance: receivers, pipeline, API and dashboard')
  .option('-c, --config <path>', 'configuration file')
  .action((_options, command: Command) => startCommand(configPath(command)));

program
  .command('import')
  .description('ingest log files (plain or .gz) into the store, with progress')
  .argument('<paths...>', 'files to import')
  .option('-c, --config <path>', 'configuration file')
  .action((paths: string[], _options, command: Command) =>
    runBatch(loadConfig(configPath(command)).config, { inputs: paths, sourceType: 'import', persist: true, progress: true }),
  );

program
  .command('analyze')
  .description('run files or stdin (-) through the whole pipeline; print alerts as NDJSON on stdout')
  .argument('<paths...>', 'files to analyze, or - for stdin')
  .option('--persist', 'keep the results in the configured store (default: in memory only)')
  .option('-c, --config <path>', 'configuration file')
  .action((paths: string[], options: { persist?: boolean }, command: Command) =>
    runBatch(loadConfig(configPath(command)).config, {
      inputs: paths,
      sourceType: 'analyze',
      persist: Boolean(options.persist),
      progress: false,
    }),
  );

program.parseAsync(process.argv).catch((error: Error) => {
  const expected = error instanceof ConfigError || error instanceof InputError || /receiver|port/.test(error.message);
  process.stderr.write(`seerflow: ${expected ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(expected ? 2 : 1);
});
