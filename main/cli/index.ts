/**
 * The `seerflow` command. `--config PATH` is accepted before or after any subcommand.
 * Errors that the user can fix (config, inputs, ports) print one clear line and exit 2.
 */
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { ApiError, apiClient } from './api-client.js';
import { InputError, runBatch } from './batch.js';
import { feedbackCommand } from './feedback.js';
import { huntCommand } from './hunt.js';
import { intelListCommand, intelRefreshCommand } from './intel.js';
import { exportCommand, queryCommand, timelineCommand, type ExportOptions, type QueryOptions } from './query.js';
import { rulesListCommand, rulesTestCommand, rulesValidateCommand, type RulesFormat, type RulesListOptions } from './rules.js';
import { demoOption, startCommand } from './start.js';
import { statusCommand } from './status.js';

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
  .option('--demo [seconds]', 'replay the bundled demo logs through the receivers once listening (over 45 s, or this many)')
  .option('-c, --config <path>', 'configuration file')
  .action((options: { demo?: string | boolean }, command: Command) => startCommand(configPath(command), demoOption(options.demo)));

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

/** The API client for the appliance the config describes. */
function api(command: Command, timeoutS?: number) {
  return apiClient(loadConfig(configPath(command)).config, timeoutS);
}

program
  .command('status')
  .description('health and counters of the running appliance (exit 1 when degraded)')
  .option('--json', 'print JSON')
  .option('--timeout <s>', 'seconds to wait for an answer', '3')
  .option('-c, --config <path>', 'configuration file')
  .action(async (options: { json?: boolean; timeout: string }, command: Command) => {
    process.exitCode = await statusCommand(api(command, Number(options.timeout)), Boolean(options.json));
  });

const query = program.command('query').description('read events, alerts or an entity timeline from the running appliance');
const filters = (cmd: Command) =>
  cmd
    .option('--last <duration>', 'window ending now, e.g. 30m, 24h, 7d')
    .option('--severity <n>', 'minimum severity 0-6')
    .option('--entity <uuid|value>', 'entity UUID or value')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'one JSON object per line')
    .option('-c, --config <path>', 'configuration file');
filters(query.command('events'))
  .option('--source <source>', 'source type or id')
  .option('--template <id>', 'template id')
  .option('--q <text>', 'substring of the message')
  .action((options: QueryOptions, command: Command) => queryCommand(api(command), 'events', options));
filters(query.command('alerts'))
  .option('--type <type>', 'ml, sigma, correlation, ueba or ioc')
  .option('--tactic <tactic>', 'ATT&CK tactic')
  .option('--technique <id>', 'ATT&CK technique (prefix)')
  .action((options: QueryOptions, command: Command) => queryCommand(api(command), 'alerts', options));
filters(query.command('timeline').argument('<entity>', 'entity UUID'))
  .option('--source <source>', 'source type')
  .action((entity: string, options: QueryOptions, command: Command) => timelineCommand(api(command), entity, options));

program
  .command('export')
  .description('export events or alerts from the running appliance as NDJSON or CSV')
  .argument('<what>', 'events or alerts')
  .option('--format <format>', 'ndjson or csv', 'ndjson')
  .option('--since <duration>', 'window ending now, e.g. 24h', '24h')
  .option('--source <source>', 'events: source type or id')
  .option('--type <type>', 'alerts: alert type')
  .option('--severity <n>', 'minimum severity 0-6')
  .option('--limit <n>', 'at most this many rows', '100000')
  .option('--output <file>', 'write here instead of stdout')
  .option('-c, --config <path>', 'configuration file')
  .action(async (what: string, options: ExportOptions & { since: string }, command: Command) => {
    if (what !== 'events' && what !== 'alerts') throw new InputError(`export: say events or alerts, not "${what}"`);
    if (options.format !== 'ndjson' && options.format !== 'csv') throw new InputError('export: --format is ndjson or csv');
    const rows = await exportCommand(api(command), what, { ...options, last: options.since });
    process.stderr.write(`exported ${rows} ${what}\n`);
  });

program
  .command('feedback')
  .description('record a true/false-positive verdict on an alert')
  .argument('<alert_id>', 'the alert')
  .argument('<verdict>', 'tp or fp')
  .option('--note <text>', 'why')
  .option('--json', 'print JSON')
  .option('-c, --config <path>', 'configuration file')
  .action((alertId: string, verdict: string, options: { note?: string; json?: boolean }, command: Command) =>
    feedbackCommand(api(command), alertId, verdict, options),
  );

program
  .command('hunt')
  .description('ask the running appliance a question in plain words (exit 1 when nothing matches)')
  .argument('<question>', 'e.g. "failed logins by service accounts in the last hour" or "what did 10.0.0.5 do"')
  .option('--limit <n>', 'events and alerts shown at most', '50')
  .option('--json', 'print the whole answer as JSON')
  .option('--timeout <s>', 'seconds to wait for the answer', '60')
  .option('-c, --config <path>', 'configuration file')
  .action(async (question: string, options: { limit: string; json?: boolean; timeout: string }, command: Command) => {
    process.exitCode = await huntCommand(api(command, Number(options.timeout)), question, options);
  });

const models = program.command('models').description('local GGUF models for llm.backend: llama_cpp (no running appliance needed)');
models
  .command('list')
  .description('models in llm.models_dir and llm.model_path, each checked as the appliance will (exit 1 if one is unusable)')
  .option('--json', 'one JSON object per model')
  .option('-c, --config <path>', 'configuration file')
  .action(async (options: { json?: boolean }, command: Command) => {
    // Loaded on use: node-llama-cpp is heavy to import for every other command.
    const { modelsListCommand } = await import('./models.js');
    process.exitCode = await modelsListCommand(loadConfig(configPath(command)).config, Boolean(options.json));
  });
models
  .command('pull')
  .description('download a model into llm.models_dir (needs internet), e.g. hf:mradermacher/Llama-3.2-3B-Instruct-GGUF:Q4_K_M')
  .argument('<uri>', 'hf:<user>/<repo>:<quant>, hf:<user>/<repo>/<file.gguf>, or an https URL')
  .option('--json', 'print the result as JSON')
  .option('-c, --config <path>', 'configuration file')
  .action(async (uri: string, options: { json?: boolean }, command: Command) => {
    const { modelsPullCommand } = await import('./models.js');
    process.exitCode = await modelsPullCommand(loadConfig(configPath(command)).config, uri, options);
  });

const intel = program.command('intel').description('threat-intel feeds of the running appliance');
intel
  .command('list')
  .description('each feed: state, indicators held, last poll, matches, last error')
  .option('--json', 'one JSON object per feed')
  .option('-c, --config <path>', 'configuration file')
  .action(async (options: { json?: boolean }, command: Command) => {
    process.exitCode = await intelListCommand(api(command), Boolean(options.json));
  });
intel
  .command('refresh')
  .description('poll every feed (or one) now and wait for it; exit 1 when a feed fails')
  .argument('[feed]', 'feed id')
  .option('--json', 'one JSON object per feed')
  .option('--timeout <s>', 'seconds to wait for the polls', '300')
  .option('-c, --config <path>', 'configuration file')
  .action(async (feed: string | undefined, options: { json?: boolean; timeout: string }, command: Command) => {
    process.exitCode = await intelRefreshCommand(api(command, Number(options.timeout)), feed, Boolean(options.json));
  });

const rules = program.command('rules').description('Sigma rules on this machine (no running appliance needed)');
const formatOption = () => new Option('--format <format>', 'table or json (one object per line)').choices(['table', 'json']).default('table');
rules
  .command('list')
  .description('the rules the configuration loads: bundled pack, detection.sigma_rules_dirs, uploads')
  .option('--technique <id>', 'only rules tagged with this ATT&CK technique (T1110 includes T1110.001)')
  .option('--tactic <tactic>', 'only rules tagged with this ATT&CK tactic')
  .addOption(formatOption())
  .option('-c, --config <path>', 'configuration file')
  .action(async (options: RulesListOptions, command: Command) => {
    process.exitCode = await rulesListCommand(loadConfig(configPath(command)).config, options);
  });
rules
  .command('validate')
  .description('load rule files and folders; exit 1 at the first invalid rule (stage, file, line, column)')
  .argument('<paths...>', 'rule files or folders')
  .option('-c, --config <path>', 'configuration file')
  .action(async (paths: string[], _options, command: Command) => {
    process.exitCode = await rulesValidateCommand(loadConfig(configPath(command)).config, paths);
  });
rules
  .command('test')
  .description('print the lines of a log file that a rule file matches (exit 0 when some do, 1 when none do)')
  .argument('<rule>', 'Sigma rule file')
  .argument('<logfile>', 'log file (plain or .gz), or - for stdin')
  .addOption(formatOption())
  .option('-c, --config <path>', 'configuration file')
  .action(async (rule: string, logFile: string, options: { format: RulesFormat }, command: Command) => {
    process.exitCode = await rulesTestCommand(loadConfig(configPath(command)).config, rule, logFile, options.format);
  });

program.parseAsync(process.argv).catch((error: Error) => {
  const expected =
    error instanceof ConfigError || error instanceof InputError || error instanceof ApiError || /receiver|port|duration|verdict/.test(error.message);
  process.stderr.write(`seerflow: ${expected ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(expected ? 2 : 1);
});
