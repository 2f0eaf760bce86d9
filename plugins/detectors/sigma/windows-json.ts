/**
 * Windows event log records in evtx_dump's JSON form (`{"Event": {"System": …, "EventData": …}}`)
 * → SeerflowEvents that Sigma rules can match, with the logsource Sigma expects.
 *
 * Flattening follows the specification's field naming ("Field Usage"): every `EventData` (or
 * `UserData.<element>`) entry becomes a top-level field, also without spaces (`Threat Name` →
 * `ThreatName`); `System` values keep their names and attributes join with `_`
 * (`Provider_Name`, `Execution_ProcessID`, `Security_UserID`, `TimeCreated_SystemTime`).
 *
 * Routing is our own table, written from the Sysmon and Windows event id facts (the taxonomy
 * appendix lists the same): Sysmon event ids to categories (12 splits by EventType into
 * registry_add / registry_delete, 13 is registry_set, 14 registry_rename; the engine treats all
 * of them as registry_event too), Security 4688 as process_creation, PowerShell 4103 / 4104 and
 * the classic 400 / 600 / 800, Defender detections as antivirus, and channels to services.
 *
 * Flattening and splitting live in main/core/parsing/windows-event.ts (the normalizer uses them
 * for live input too); this module adds the Sigma routing table. No I/O: callers pass text.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Fields, Logsource, SeerflowEvent } from '../../../main/core/event.js';
import { flattenWindowsEvent, splitJsonObjects, windowsSeverity } from '../../../main/core/parsing/windows-event.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const SYSMON_LINUX = 'Linux-Sysmon/Operational';
const EVENT_NAMESPACE = '5f0c9c3e-7d1b-4f7a-9a51-0b7e3c2d1a90';

/** Sysmon event id → Sigma category (Sysmon's schema, event ids 1–29 and 255). */
export const SYSMON_EVENT_CATEGORIES: Readonly<Record<number, string>> = Object.freeze({
  1: 'process_creation',
  2: 'file_change',
  3: 'network_connection',
  4: 'sysmon_status',
  5: 'process_termination',
  6: 'driver_load',
  7: 'image_load',
  8: 'create_remote_thread',
  9: 'raw_access_thread',
  10: 'process_access',
  11: 'file_event',
  12: 'registry_event',
  13: 'registry_set',
  14: 'registry_rename',
  15: 'create_stream_hash',
  16: 'sysmon_status',
  17: 'pipe_created',
  18: 'pipe_created',
  19: 'wmi_event',
  20: 'wmi_event',
  21: 'wmi_event',
  22: 'dns_query',
  23: 'file_delete',
  24: 'clipboard_capture',
  25: 'process_tampering',
  26: 'file_delete_detected',
  27: 'file_block_executable',
  28: 'file_block_shredding',
  29: 'file_executable_detected',
  255: 'sysmon_error',
});

/** Sysmon 12 by EventType: key creation is registry_add, key or value deletion registry_delete. */
const SYSMON_REGISTRY_EVENT_TYPES: Readonly<Record<string, string>> = {
  CreateKey: 'registry_add',
  DeleteKey: 'registry_delete',
  DeleteValue: 'registry_delete',
};

/** Microsoft Defender Antivirus event ids that report a detection (threat name and path). */
export const DEFENDER_DETECTION_EVENT_IDS: ReadonlySet<number> = new Set([1006, 1007, 1008, 1009, 1010, 1011, 1012, 1015, 1116, 1117, 1118, 1119]);

/** Channel → Sigma service (product windows). */
export const WINDOWS_CHANNEL_SERVICES: Readonly<Record<string, string>> = Object.freeze({
  Security: 'security',
  System: 'system',
  Application: 'application',
  [SYSMON]: 'sysmon',
  'Microsoft-Windows-PowerShell/Operational': 'powershell',
  'PowerShellCore/Operational': 'powershell',
  'Windows PowerShell': 'powershell-classic',
  'Microsoft-Windows-TaskScheduler/Operational': 'taskscheduler',
  'Microsoft-Windows-WMI-Activity/Operational': 'wmi',
  'Microsoft-Windows-Windows Defender/Operational': 'windefend',
  'Microsoft-Windows-NTLM/Operational': 'ntlm',
  'Microsoft-Windows-DHCP-Server/Operational': 'dhcp',
  'Microsoft-Windows-PrintService/Admin': 'printservice-admin',
  'Microsoft-Windows-PrintService/Operational': 'printservice-operational',
  'Microsoft-Windows-SmbClient/Security': 'smbclient-security',
  'Microsoft-Windows-SmbClient/Connectivity': 'smbclient-connectivity',
  'Microsoft-Windows-SMBServer/Connectivity': 'smbserver-connectivity',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational': 'terminalservices-localsessionmanager',
  'Microsoft-Windows-CodeIntegrity/Operational': 'codeintegrity-operational',
  'Microsoft-Windows-AppLocker/MSI and Script': 'applocker',
  'Microsoft-Windows-AppLocker/EXE and DLL': 'applocker',
  'Microsoft-Windows-AppLocker/Packaged app-Deployment': 'applocker',
  'Microsoft-Windows-AppLocker/Packaged app-Execution': 'applocker',
  'MSExchange Management': 'msexchange-management',
  'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall': 'firewall-as',
  'Microsoft-Windows-Bits-Client/Operational': 'bits-client',
  'Microsoft-Windows-Security-Mitigations/Kernel Mode': 'security-mitigations',
  'Microsoft-Windows-Security-Mitigations/User Mode': 'security-mitigations',
  'Microsoft-Windows-Diagnosis-Scripted/Operational': 'diagnosis-scripted',
  'Microsoft-Windows-Shell-Core/Operational': 'shell-core',
  'OpenSSH/Operational': 'openssh',
  'Microsoft-Windows-LDAP-Client/Debug': 'ldap',
  'Microsoft-Windows-BitLocker/BitLocker Management': 'bitlocker',
  'Microsoft-Windows-VHDMP/Operational': 'vhdmp',
  'Microsoft-Windows-AppXDeploymentServer/Operational': 'appxdeployment-server',
  'Microsoft-Windows-LSA/Operational': 'lsa-server',
  'Microsoft-Windows-AppxPackaging/Operational': 'appxpackaging-om',
  'Microsoft-Windows-DNS Client Events/Operational': 'dns-client',
  'DNS Server': 'dns-server',
  'Microsoft-Windows-DNS-Server/Analytical': 'dns-server-analytic',
  'Microsoft-Windows-DNS-Server/Audit': 'dns-server-audit',
  'Microsoft-Windows-AppModel-Runtime/Admin': 'appmodel-runtime',
  'Microsoft-Windows-CAPI2/Operational': 'capi2',
  'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational': 'certificateservicesclient-lifecycle-system',
  'Microsoft-Windows-Kernel-ShimEngine/Operational': 'kernel-shimengine',
  'Microsoft-Windows-Kernel-ShimEngine/Diagnostic': 'kernel-shimengine',
  'Microsoft-Windows-Application-Experience/Program-Telemetry': 'application-experience',
  'Microsoft-Windows-Application-Experience/Program-Compatibility-Assistant': 'application-experience',
  'Microsoft-Windows-Ntfs/Operational': 'ntfs',
  'Microsoft-Windows-Hyper-V-Worker': 'hyper-v-worker',
  'Microsoft-Windows-Kernel-EventTracing': 'kernel-event-tracing',
  'Microsoft-Windows-SENSE/Operational': 'sense',
  'Microsoft-ServiceBus-Client/Admin': 'servicebus-client',
  'Microsoft-ServiceBus-Client/Operational': 'servicebus-client',
  'Microsoft-IIS-Configuration/Operational': 'iis-configuration',
  'Microsoft-Windows-DriverFrameworks-UserMode/Operational': 'driver-framework',
});

/** The Sigma logsource of a flattened Windows record (needs `Channel` and `EventID`). */
export function windowsLogsource(fields: Readonly<Fields>): Logsource {
  const channel = typeof fields['Channel'] === 'string' ? fields['Channel'] : '';
  const eventId = Number(fields['EventID']);
  if (channel === SYSMON_LINUX) {
    const category = SYSMON_EVENT_CATEGORIES[eventId] ?? '';
    return { product: 'linux', category, service: 'sysmon' };
  }
  const service = WINDOWS_CHANNEL_SERVICES[channel] ?? '';
  let category = '';
  if (channel === SYSMON) {
    category = SYSMON_EVENT_CATEGORIES[eventId] ?? '';
    if (eventId === 12) category = SYSMON_REGISTRY_EVENT_TYPES[String(fields['EventType'])] ?? category;
  } else if (channel === 'Security' && eventId === 4688) {
    category = 'process_creation';
  } else if (service === 'powershell') {
    category = eventId === 4104 ? 'ps_script' : eventId === 4103 ? 'ps_module' : '';
  } else if (service === 'powershell-classic') {
    category = eventId === 400 ? 'ps_classic_start' : eventId === 600 ? 'ps_classic_provider_start' : eventId === 800 ? 'ps_classic_script' : '';
  } else if (service === 'windefend' && DEFENDER_DETECTION_EVENT_IDS.has(eventId)) {
    category = 'antivirus';
  }
  return { product: 'windows', category, service };
}

/** One record → a SeerflowEvent ready for SigmaEngine.match. */
export function windowsEventToSeerflow(record: unknown, options: { sourceId?: string; receivedNs?: bigint } = {}): SeerflowEvent {
  const fields = flattenWindowsEvent(record);
  const time = typeof fields['TimeCreated_SystemTime'] === 'string' ? Date.parse(fields['TimeCreated_SystemTime']) : Number.NaN;
  const receivedNs = options.receivedNs ?? 0n;
  const timestampNs = Number.isFinite(time) ? BigInt(time) * 1_000_000n : receivedNs;
  const computer = typeof fields['Computer'] === 'string' ? fields['Computer'] : '';
  const provider = typeof fields['Provider_Name'] === 'string' ? fields['Provider_Name'] : '';
  const key = `${computer}|${String(fields['Channel'] ?? '')}|${String(fields['EventRecordID'] ?? '')}|${String(fields['TimeCreated_SystemTime'] ?? '')}`;
  return {
    eventId: uuidv5(key, EVENT_NAMESPACE),
    timestampNs,
    observedNs: receivedNs,
    severity: windowsSeverity(fields['Level']),
    sourceType: 'import',
    sourceId: options.sourceId ?? 'windows-json',
    host: computer,
    app: provider,
    procId: String(fields['Execution_ProcessID'] ?? ''),
    msgId: String(fields['EventID'] ?? ''),
    message: '',
    templateId: -1,
    templateStr: '',
    templateParams: [],
    entities: [],
    logsource: windowsLogsource(fields),
    fields,
    raw: '',
  };
}

/** Every record of an evtx_dump JSON text; unparsable chunks are skipped and counted. */
export function parseWindowsJson(text: string, options: { sourceId?: string } = {}): { events: SeerflowEvent[]; skipped: number } {
  const events: SeerflowEvent[] = [];
  let skipped = 0;
  for (const chunk of splitJsonObjects(text)) {
    try {
      events.push(windowsEventToSeerflow(JSON.parse(chunk), options));
    } catch {
      skipped++;
    }
  }
  return { events, skipped };
}
