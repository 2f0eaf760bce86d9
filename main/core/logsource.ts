/**
 * Logsource classification: the Sigma logsource (product, category, service) of an event, so
 * Sigma rules can be dispatched on live input. The original never set it (reference §17 item 1),
 * so its bundled rules could not fire on syslog or file input.
 *
 * Names follow the Sigma taxonomy appendix (specification 2.1.0, `sigma-appendix-taxonomy.md`).
 * Classification is data: a list of `LogsourceRule`s, the caller's first and then
 * DEFAULT_LOGSOURCE_RULES; the first rule whose conditions all hold decides, and the fields it
 * leaves out are empty. An event may carry a category and a service at once (Security 4688 is
 * `process_creation` and `security`; an auditd EXECVE record is `process_creation` and `auditd`),
 * so dispatch should apply a Sigma rule when every non-empty field of the rule's logsource equals
 * the event's, treating LOGSOURCE_PARENT_CATEGORY children as their parent too.
 *
 * Rules compile once (`compileLogsourceRules`); per event, the checks run cheapest first (source
 * type, then app, then fields, then the message regex) and field values are looked up once.
 * Pure: no I/O.
 */
import type { FieldValue, Fields, Logsource } from './event.js';

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

export interface LogsourceRule {
  when: {
    /** JavaScript regex source, matched case-insensitively against the app name (`^sshd$`). */
    app?: string;
    /** JavaScript regex source, matched case-sensitively against the message. */
    message?: string;
    /**
     * Field values that must all match: equal as text or number (`EventID: 1` matches 1 and "1"),
     * or `'*'` for present and non-empty. `Channel`, `EventID` and `EventType` are also found under
     * their evtx_dump and Winlogbeat names (`Event.System.Channel`, `winlog.event_id`…).
     */
    field?: Record<string, string | number>;
    /** Exact source type (`syslog`, `file`, `otlp_http`…). */
    sourceType?: string;
  };
  /** Fields left out are empty. An empty object stops classification: "leave these unclassified". */
  logsource: Partial<Logsource>;
}

export interface ClassifyInput {
  app: string;
  message: string;
  fields: Fields;
  sourceType: string;
}

/** A rule list compiled by `compileLogsourceRules`; opaque. */
export interface CompiledLogsourceRules {
  /** Number of rules, the defaults included. */
  readonly size: number;
  classify(input: ClassifyInput): Logsource;
}

/** A rule that cannot compile; `index` is its 0-based position in the caller's list. */
export class LogsourceRuleError extends Error {
  readonly code = 'LOGSOURCE_RULE_INVALID';

  constructor(
    readonly index: number,
    readonly key: string,
    detail: string,
  ) {
    super(`Invalid logsource rule #${index} (${key}): ${detail}`);
    this.name = 'LogsourceRuleError';
  }
}

/**
 * Compiles rules once. The result holds `rules` followed by DEFAULT_LOGSOURCE_RULES, unless
 * `withDefaults` is false. Throws LogsourceRuleError for a bad regex, a field value that is not
 * text or a number, or a rule without any condition (it would classify every event).
 */
export function compileLogsourceRules(
  rules: readonly LogsourceRule[],
  options: { withDefaults?: boolean } = {},
): CompiledLogsourceRules {
  const compiled = rules.map((rule, index) => compileRule(rule, index));
  if (options.withDefaults !== false) compiled.push(...defaultRules());
  return new RuleSet(compiled);
}

/**
 * The Sigma logsource of an event. `rules` are the caller's rules, tried before the defaults;
 * pass them compiled (or always the same array, which is compiled once and remembered) so the
 * per-event path does no compiling. Returns a new object; empty strings mean "not classified".
 */
export function classifyLogsource(
  input: ClassifyInput,
  rules?: readonly LogsourceRule[] | CompiledLogsourceRules,
): Logsource {
  return resolveRuleSet(rules).classify(input);
}

/**
 * Categories that are a special case of another: a Sigma rule for the parent category also
 * applies to an event of the child (Sysmon 12/13/14 are all `registry_event`).
 */
export const LOGSOURCE_PARENT_CATEGORY: Readonly<Record<string, string>> = Object.freeze({
  registry_add: 'registry_event',
  registry_delete: 'registry_event',
  registry_set: 'registry_event',
  registry_rename: 'registry_event',
});

// ── Default rules ───────────────────────────────────────────────────────────────────────────────

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const SYSMON_LINUX = 'Linux-Sysmon/Operational';

/** Sysmon event ids → category (taxonomy appendix, Windows folder). 12 also depends on EventType. */
const SYSMON_CATEGORIES: ReadonlyArray<readonly [number, string]> = [
  [1, 'process_creation'], [2, 'file_change'], [3, 'network_connection'], [4, 'sysmon_status'],
  [5, 'process_termination'], [6, 'driver_load'], [7, 'image_load'], [8, 'create_remote_thread'],
  [9, 'raw_access_thread'], [10, 'process_access'], [11, 'file_event'], [12, 'registry_event'],
  [13, 'registry_set'], [14, 'registry_rename'], [15, 'create_stream_hash'], [16, 'sysmon_status'],
  [17, 'pipe_created'], [18, 'pipe_created'], [19, 'wmi_event'], [20, 'wmi_event'], [21, 'wmi_event'],
  [22, 'dns_query'], [23, 'file_delete'], [24, 'clipboard_capture'], [25, 'process_tampering'],
  [26, 'file_delete_detected'], [27, 'file_block_executable'], [28, 'file_block_shredding'],
  [29, 'file_executable_detected'], [255, 'sysmon_error'],
];

/** Sysmon for Linux event ids → category (taxonomy appendix, Linux folder, plus 5 and 23). */
const SYSMON_LINUX_CATEGORIES: ReadonlyArray<readonly [number, string]> = [
  [1, 'process_creation'], [3, 'network_connection'], [5, 'process_termination'], [11, 'file_event'],
  [23, 'file_delete'],
];

/** Windows channel → service (taxonomy appendix, Windows services). */
const WINDOWS_CHANNEL_SERVICES: ReadonlyArray<readonly [string, string]> = [
  ['Security', 'security'],
  ['System', 'system'],
  ['Application', 'application'],
  ['Microsoft-Windows-Application-Experience/Program-Telemetry', 'application-experience'],
  ['Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant', 'application-experience'],
  ['Microsoft-Windows-AppLocker/MSI and Script', 'applocker'],
  ['Microsoft-Windows-AppLocker/EXE and DLL', 'applocker'],
  ['Microsoft-Windows-AppLocker/Packaged app-Deployment', 'applocker'],
  ['Microsoft-Windows-AppLocker/Packaged app-Execution', 'applocker'],
  ['Microsoft-Windows-AppModel-Runtime/Admin', 'appmodel-runtime'],
  ['Microsoft-Windows-AppXDeploymentServer/Operational', 'appxdeployment-server'],
  ['Microsoft-Windows-AppxPackaging/Operational', 'appxpackaging-om'],
  ['Microsoft-Windows-BitLocker/BitLocker Management', 'bitlocker'],
  ['Microsoft-Windows-Bits-Client/Operational', 'bits-client'],
  ['Microsoft-Windows-CAPI2/Operational', 'capi2'],
  ['Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational', 'certificateservicesclient-lifecycle-system'],
  ['Microsoft-Windows-CodeIntegrity/Operational', 'codeintegrity-operational'],
  ['Microsoft-Windows-DHCP-Server/Operational', 'dhcp'],
  ['Microsoft-Windows-Diagnosis-Scripted/Operational', 'diagnosis-scripted'],
  ['Microsoft-Windows-DNS Client Events/Operational', 'dns-client'],
  ['DNS Server', 'dns-server'],
  ['Microsoft-Windows-DNS-Server/Analytical', 'dns-server-analytic'],
  ['Microsoft-Windows-DNS-Server/Audit', 'dns-server-audit'],
  ['Microsoft-Windows-DriverFrameworks-UserMode/Operational', 'driver-framework'],
  ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall', 'firewall-as'],
  ['Microsoft-Windows-Hyper-V-Worker', 'hyper-v-worker'],
  ['Microsoft-IIS-Configuration/Operational', 'iis-configuration'],
  ['Microsoft-Windows-Kernel-EventTracing', 'kernel-event-tracing'],
  ['Microsoft-Windows-Kernel-ShimEngine/Operational', 'kernel-shimengine'],
  ['Microsoft-Windows-LDAP-Client/Debug', 'ldap'],
  ['Microsoft-Windows-LSA/Operational', 'lsa-server'],
  ['MSExchange Management', 'msexchange-management'],
  ['Microsoft-Windows-Ntfs/Operational', 'ntfs'],
  ['Microsoft-Windows-NTLM/Operational', 'ntlm'],
  ['OpenSSH/Operational', 'openssh'],
  ['Microsoft-Windows-PrintService/Admin', 'printservice-admin'],
  ['Microsoft-Windows-PrintService/Operational', 'printservice-operational'],
  ['Microsoft-Windows-Security-Mitigations/Kernel Mode', 'security-mitigations'],
  ['Microsoft-Windows-Security-Mitigations/User Mode', 'security-mitigations'],
  ['Microsoft-Windows-SENSE/Operational', 'sense'],
  ['Microsoft-ServiceBus-Client/Operational', 'servicebus-client'],
  ['Microsoft-ServiceBus-Client/Admin', 'servicebus-client'],
  ['Microsoft-Windows-Shell-Core/Operational', 'shell-core'],
  ['Microsoft-Windows-SmbClient/Security', 'smbclient-security'],
  ['Microsoft-Windows-TaskScheduler/Operational', 'taskscheduler'],
  ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', 'terminalservices-localsessionmanager'],
  ['Microsoft-Windows-VHDMP/Operational', 'vhdmp'],
  ['Microsoft-Windows-Windows Defender/Operational', 'windefend'],
  ['Microsoft-Windows-WMI-Activity/Operational', 'wmi'],
];

const LINUX_AUTH_APPS =
  'su|login|useradd|userdel|usermod|passwd|chpasswd|chage|groupadd|groupdel|groupmod|gpasswd|newgrp|' +
  'chsh|chfn|vipw|vigr|pkexec|polkitd|unix_chkpwd|systemd-logind';

const HTTP_METHODS = 'GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND';

function windowsRules(): LogsourceRule[] {
  const rules: LogsourceRule[] = [];
  const windows = (field: Record<string, string | number>, category: string, service: string): void => {
    rules.push({ when: { field }, logsource: { product: 'windows', category, service } });
  };
  // Sysmon 12 splits by EventType (Sigma's thor.yml: CreateKey → add, DeleteKey/DeleteValue → delete).
  windows({ Channel: SYSMON, EventID: 12, EventType: 'CreateKey' }, 'registry_add', 'sysmon');
  windows({ Channel: SYSMON, EventID: 12, EventType: 'DeleteKey' }, 'registry_delete', 'sysmon');
  windows({ Channel: SYSMON, EventID: 12, EventType: 'DeleteValue' }, 'registry_delete', 'sysmon');
  for (const [id, category] of SYSMON_CATEGORIES) windows({ Channel: SYSMON, EventID: id }, category, 'sysmon');
  windows({ Channel: SYSMON }, '', 'sysmon');
  for (const [id, category] of SYSMON_LINUX_CATEGORIES) {
    rules.push({ when: { field: { Channel: SYSMON_LINUX, EventID: id } }, logsource: { product: 'linux', category, service: 'sysmon' } });
  }
  rules.push({ when: { field: { Channel: SYSMON_LINUX } }, logsource: { product: 'linux', service: 'sysmon' } });
  windows({ Channel: 'Security', EventID: 4688 }, 'process_creation', 'security');
  windows({ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 }, 'ps_script', 'powershell');
  windows({ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4103 }, 'ps_module', 'powershell');
  windows({ Channel: 'Microsoft-Windows-PowerShell/Operational' }, '', 'powershell');
  windows({ Channel: 'PowerShellCore/Operational', EventID: 4104 }, 'ps_script', '');
  windows({ Channel: 'PowerShellCore/Operational', EventID: 4103 }, 'ps_module', '');
  windows({ Channel: 'Windows PowerShell', EventID: 400 }, 'ps_classic_start', 'powershell-classic');
  windows({ Channel: 'Windows PowerShell', EventID: 600 }, 'ps_classic_provider_start', 'powershell-classic');
  windows({ Channel: 'Windows PowerShell', EventID: 800 }, 'ps_classic_script', 'powershell-classic');
  windows({ Channel: 'Windows PowerShell' }, '', 'powershell-classic');
  for (const [channel, service] of WINDOWS_CHANNEL_SERVICES) windows({ Channel: channel }, '', service);
  // Any other event log record.
  windows({ Channel: '*', EventID: '*' }, '', '');
  return rules;
}

function linuxRules(): LogsourceRule[] {
  const linux = (when: LogsourceRule['when'], service: string, category = ''): LogsourceRule => ({
    when,
    logsource: { product: 'linux', category, service },
  });
  return [
    // auditd: the record type leads (`type=EXECVE msg=audit(…)`), sometimes after `node=…`.
    linux({ message: String.raw`(?:^|\s)type=EXECVE msg=audit\(` }, 'auditd', 'process_creation'),
    linux({ message: String.raw`(?:^|\s)type=[A-Z_]+ msg=audit\(` }, 'auditd'),
    linux({ app: '^(?:auditd|audispd|audisp-syslog)$' }, 'auditd'),
    // OpenSSH 9.8 split the daemon: sshd-session and sshd-auth log under their own names.
    linux({ app: '^sshd(?:-session|-auth)?$' }, 'sshd'),
    linux({ app: '^$', message: String.raw`\bsshd(?:-session)?\[\d+\]: ` }, 'sshd'),
    // Sigma names sudo's own log `service: sudo` (taxonomy; lnx_sudo_exploit_cve_2019_14287).
    linux({ app: '^sudo$' }, 'sudo'),
    linux({ app: '^$', message: String.raw`\bsudo(?:\[\d+\])?: ` }, 'sudo'),
    linux({ app: '^(?:cron|crond|anacron|crontab)$' }, 'cron'),
    linux({ app: '^$', message: String.raw`\b(?:CRON|crond?|anacron)\[\d+\]: ` }, 'cron'),
    linux({ app: `^(?:${LINUX_AUTH_APPS})$` }, 'auth'),
    linux({ message: String.raw`\bpam_[a-z0-9_]+\(` }, 'auth'),
  ];
}

function webRules(): LogsourceRule[] {
  const webserver: Partial<Logsource> = { category: 'webserver' };
  return [
    {
      when: { app: '^(?:nginx|openresty|apache2?|httpd|lighttpd|caddy)$', message: `"(?:${HTTP_METHODS}) \\S+ HTTP/\\d` },
      logsource: webserver,
    },
    // Common and combined log format, whoever sent it: host ident user [time] "request" status.
    { when: { message: String.raw`^\S+ \S+ \S+ \[[^\]]{1,64}\] "(?:[A-Z]{3,9} \S+ HTTP/[\d.]{1,4}|-)" \d{3} ` }, logsource: webserver },
    // Apache's error log (taxonomy: "service: apache, Application error.log").
    { when: { app: '^(?:apache2?|httpd)$' }, logsource: { service: 'apache' } },
  ];
}

/** DNS resolver logs (dnsmasq, BIND, Unbound, Pi-hole) and structured DNS records with a query. */
function dnsRules(): LogsourceRule[] {
  const dns: Partial<Logsource> = { category: 'dns' };
  return [
    { when: { app: '^(?:dnsmasq|named|unbound|pihole-FTL)$' }, logsource: dns },
    { when: { field: { query: '*' } }, logsource: dns },
  ];
}

/** The built-in rules, in the order they are tried (after the caller's). */
export const DEFAULT_LOGSOURCE_RULES: readonly LogsourceRule[] = Object.freeze([
  ...windowsRules(),
  ...linuxRules(),
  ...webRules(),
  ...dnsRules(),
]);

// ── Compilation ─────────────────────────────────────────────────────────────────────────────────

/** Other names the same field has in evtx_dump and Winlogbeat output. */
const FIELD_ALIASES: Readonly<Record<string, readonly string[]>> = {
  Channel: ['Channel', 'channel', 'winlog.channel', 'Event.System.Channel', 'System.Channel'],
  EventID: ['EventID', 'EventId', 'event_id', 'winlog.event_id', 'Event.System.EventID', 'Event.System.EventID.#text', 'System.EventID'],
  EventType: ['EventType', 'Event.EventData.EventType', 'winlog.event_data.EventType'],
};

interface FieldCondition {
  /** Index of the field in the rule set's key table. */
  key: number;
  /** True for '*': present and not empty. */
  any: boolean;
  text: string;
  /** The value as a number, or NaN when it is not one. */
  number: number;
}

interface CompiledRule {
  sourceType: string | undefined;
  app: RegExp | undefined;
  message: RegExp | undefined;
  /** Field names as written in the rule; resolved to key indexes by the rule set. */
  fieldNames: string[];
  fields: FieldCondition[];
  logsource: Readonly<Logsource>;
}

function compileRule(rule: LogsourceRule, index: number): CompiledRule {
  const when = rule?.when;
  if (when === null || typeof when !== 'object') throw new LogsourceRuleError(index, 'when', 'must be an object');
  const fieldEntries = Object.entries(when.field ?? {});
  if (when.app === undefined && when.message === undefined && when.sourceType === undefined && fieldEntries.length === 0) {
    throw new LogsourceRuleError(index, 'when', 'has no condition, so it would classify every event; add app, message, field or sourceType');
  }
  const fields: FieldCondition[] = [];
  for (const [name, value] of fieldEntries) {
    if (typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new LogsourceRuleError(index, `when.field.${name}`, `must be text or a finite number, got ${JSON.stringify(value)}`);
    }
    const text = String(value);
    fields.push({ key: -1, any: text === '*', text, number: text.trim() === '' ? Number.NaN : Number(text) });
  }
  const logsource = rule.logsource ?? {};
  for (const part of ['product', 'category', 'service'] as const) {
    if (logsource[part] !== undefined && typeof logsource[part] !== 'string') {
      throw new LogsourceRuleError(index, `logsource.${part}`, 'must be text');
    }
  }
  return {
    sourceType: when.sourceType,
    app: compileRegex(when.app, 'i', index, 'when.app'),
    message: compileRegex(when.message, '', index, 'when.message'),
    fieldNames: fieldEntries.map(([name]) => name),
    fields,
    logsource: Object.freeze({
      product: logsource.product ?? '',
      category: logsource.category ?? '',
      service: logsource.service ?? '',
    }),
  };
}

function compileRegex(source: string | undefined, flags: string, index: number, key: string): RegExp | undefined {
  if (source === undefined) return undefined;
  if (typeof source !== 'string') throw new LogsourceRuleError(index, key, 'must be a regex source string');
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new LogsourceRuleError(index, key, (error as Error).message);
  }
}

let compiledDefaults: CompiledRule[] | undefined;

/** The defaults compile once; their compiled rules are shared (read-only) by every rule set. */
function defaultRules(): CompiledRule[] {
  compiledDefaults ??= DEFAULT_LOGSOURCE_RULES.map((rule, index) => compileRule(rule, index));
  return compiledDefaults;
}

class RuleSet implements CompiledLogsourceRules {
  readonly #rules: CompiledRule[];
  /** Per rule, its field conditions' key indexes into #keys. */
  readonly #ruleKeys: number[][];
  /** Every field name any rule tests, with the names it may appear under. */
  readonly #keys: (readonly string[])[];
  readonly #values: (FieldValue | undefined)[];

  constructor(rules: CompiledRule[]) {
    this.#rules = rules;
    const index = new Map<string, number>();
    this.#keys = [];
    this.#ruleKeys = rules.map((rule) =>
      rule.fieldNames.map((name) => {
        let key = index.get(name);
        if (key === undefined) {
          key = this.#keys.length;
          index.set(name, key);
          this.#keys.push(FIELD_ALIASES[name] ?? [name]);
        }
        return key;
      }),
    );
    this.#values = new Array<FieldValue | undefined>(this.#keys.length);
  }

  get size(): number {
    return this.#rules.length;
  }

  classify(input: ClassifyInput): Logsource {
    const hasFields = hasAnyKey(input.fields);
    let resolved = false;
    const app = input.app ?? '';
    const message = input.message ?? '';
    for (let r = 0; r < this.#rules.length; r++) {
      const rule = this.#rules[r] as CompiledRule;
      if (rule.sourceType !== undefined && rule.sourceType !== input.sourceType) continue;
      if (rule.fields.length > 0) {
        if (!hasFields) continue;
        if (!resolved) {
          this.#resolve(input.fields);
          resolved = true;
        }
        if (!this.#fieldsMatch(rule.fields, this.#ruleKeys[r] as number[])) continue;
      }
      if (rule.app !== undefined && !rule.app.test(app)) continue;
      if (rule.message !== undefined && !rule.message.test(message)) continue;
      return { product: rule.logsource.product, category: rule.logsource.category, service: rule.logsource.service };
    }
    return { product: '', category: '', service: '' };
  }

  #resolve(fields: Fields): void {
    for (let k = 0; k < this.#keys.length; k++) {
      let value: FieldValue | undefined;
      for (const name of this.#keys[k] as readonly string[]) {
        value = Object.hasOwn(fields, name) ? fields[name] : undefined;
        if (value !== undefined) break;
      }
      this.#values[k] = value;
    }
  }

  #fieldsMatch(conditions: FieldCondition[], keys: number[]): boolean {
    for (let c = 0; c < conditions.length; c++) {
      const condition = conditions[c] as FieldCondition;
      const value = this.#values[keys[c] as number];
      if (value === undefined || value === null) return false;
      if (condition.any) {
        if (value === '') return false;
      } else if (typeof value === 'number') {
        if (value !== condition.number) return false;
      } else if (typeof value === 'string') {
        if (value !== condition.text) return false;
      } else if (String(value) !== condition.text) {
        return false;
      }
    }
    return true;
  }
}

function hasAnyKey(fields: Fields | undefined): boolean {
  if (fields === undefined || fields === null) return false;
  for (const key in fields) if (Object.hasOwn(fields, key)) return true;
  return false;
}

// ── Rule set resolution ─────────────────────────────────────────────────────────────────────────

let defaultSet: RuleSet | undefined;
const compiledByList = new WeakMap<readonly LogsourceRule[], CompiledLogsourceRules>();

function resolveRuleSet(rules: readonly LogsourceRule[] | CompiledLogsourceRules | undefined): CompiledLogsourceRules {
  if (rules === undefined) {
    defaultSet ??= new RuleSet(defaultRules());
    return defaultSet;
  }
  if (!Array.isArray(rules)) return rules as CompiledLogsourceRules;
  const list = rules as readonly LogsourceRule[];
  let compiled = compiledByList.get(list);
  if (compiled === undefined) {
    compiled = compileLogsourceRules(list);
    compiledByList.set(list, compiled);
  }
  return compiled;
}
