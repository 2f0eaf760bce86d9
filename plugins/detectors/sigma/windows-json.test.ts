import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flattenWindowsEvent, splitJsonObjects } from '../../../main/core/parsing/windows-event.js';
import { parseWindowsJson, windowsLogsource } from './windows-json.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const THOR = '/work/shared/data/sigma/tests/thor.yml';

const record = (system: Record<string, unknown>, data: Record<string, unknown>) => ({ Event: { '#attributes': { xmlns: 'x' }, System: system, EventData: data } });

describe('flattenWindowsEvent', () => {
  it('lifts EventData and System fields, joining attributes with _', () => {
    const fields = flattenWindowsEvent(
      record(
        {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: 'G' } },
          EventID: 1,
          Channel: SYSMON,
          Computer: 'pc1',
          TimeCreated: { '#attributes': { SystemTime: '2025-11-27T07:40:10.165324Z' } },
          Execution: { '#attributes': { ProcessID: 3544 } },
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
          Correlation: null,
        },
        { Image: 'C:\\a.exe', 'Threat Name': 'EICAR', Hashes: 'MD5=1' },
      ),
    );
    expect(fields).toEqual({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Provider_Guid: 'G',
      EventID: 1,
      Channel: SYSMON,
      Computer: 'pc1',
      TimeCreated_SystemTime: '2025-11-27T07:40:10.165324Z',
      Execution_ProcessID: 3544,
      Security_UserID: 'S-1-5-18',
      Correlation: null,
      Image: 'C:\\a.exe',
      'Threat Name': 'EICAR',
      ThreatName: 'EICAR',
      Hashes: 'MD5=1',
    });
  });

  it('reads EventID with attributes, Data lists and UserData', () => {
    const fields = flattenWindowsEvent({
      Event: {
        System: { EventID: { '#text': 4104, '#attributes': { Qualifiers: 0 } }, Channel: 'Microsoft-Windows-PowerShell/Operational' },
        EventData: { Data: [{ '#attributes': { Name: 'ScriptBlockText' }, '#text': 'iex x' }] },
        UserData: { LogFileCleared: { SubjectUserName: 'bob' } },
      },
    });
    expect(fields).toMatchObject({ EventID: 4104, EventID_Qualifiers: 0, ScriptBlockText: 'iex x', SubjectUserName: 'bob' });
  });
});

describe('windowsLogsource', () => {
  const cases: Array<[Record<string, string | number>, { product: string; category: string; service: string }]> = [
    [{ Channel: SYSMON, EventID: 1 }, { product: 'windows', category: 'process_creation', service: 'sysmon' }],
    [{ Channel: SYSMON, EventID: 12, EventType: 'CreateKey' }, { product: 'windows', category: 'registry_add', service: 'sysmon' }],
    [{ Channel: SYSMON, EventID: 12, EventType: 'DeleteValue' }, { product: 'windows', category: 'registry_delete', service: 'sysmon' }],
    [{ Channel: SYSMON, EventID: 12, EventType: 'RenameKey' }, { product: 'windows', category: 'registry_event', service: 'sysmon' }],
    [{ Channel: SYSMON, EventID: 13 }, { product: 'windows', category: 'registry_set', service: 'sysmon' }],
    [{ Channel: 'Security', EventID: 4688 }, { product: 'windows', category: 'process_creation', service: 'security' }],
    [{ Channel: 'Security', EventID: 4624 }, { product: 'windows', category: '', service: 'security' }],
    [{ Channel: 'Microsoft-Windows-PowerShell/Operational', EventID: 4104 }, { product: 'windows', category: 'ps_script', service: 'powershell' }],
    [{ Channel: 'Windows PowerShell', EventID: 400 }, { product: 'windows', category: 'ps_classic_start', service: 'powershell-classic' }],
    [{ Channel: 'Microsoft-Windows-Windows Defender/Operational', EventID: 1116 }, { product: 'windows', category: 'antivirus', service: 'windefend' }],
    [{ Channel: 'Linux-Sysmon/Operational', EventID: 1 }, { product: 'linux', category: 'process_creation', service: 'sysmon' }],
    [{ Channel: 'Some/Other', EventID: 7 }, { product: 'windows', category: '', service: '' }],
  ];
  it.each(cases)('%j', (fields, expected) => expect(windowsLogsource(fields)).toEqual(expected));

  it.skipIf(!fs.existsSync(THOR))('agrees with the categories of Sigma\'s thor.yml for Sysmon and PowerShell', () => {
    const thor = parse(fs.readFileSync(THOR, 'utf8')) as { logsources: Record<string, { category?: string; product?: string; conditions?: Record<string, unknown>; rewrite?: { service?: string } }> };
    let checked = 0;
    for (const source of Object.values(thor.logsources)) {
      const id = source.conditions?.['EventID'];
      if (source.product !== 'windows' || typeof id !== 'number' || !source.category || !source.rewrite?.service) continue;
      const channel = { sysmon: SYSMON, security: 'Security', powershell: 'Microsoft-Windows-PowerShell/Operational', 'powershell-classic': 'Windows PowerShell' }[source.rewrite.service];
      if (!channel) continue;
      const type = source.conditions?.['EventType'];
      const got = windowsLogsource({ Channel: channel, EventID: id, ...(typeof type === 'string' && { EventType: type }) });
      // thor lists 12/13/14 under registry_event as well; our events carry the child, which covers it.
      const parents: Record<string, string> = { registry_add: 'registry_event', registry_delete: 'registry_event', registry_set: 'registry_event', registry_rename: 'registry_event' };
      const same = got.category === source.category || parents[got.category] === source.category;
      // thor says clipboard_change where the taxonomy appendix says clipboard_capture.
      expect(same || (source.category === 'clipboard_change' && got.category === 'clipboard_capture')).toBe(true);
      expect(got.service).toBe(source.rewrite.service);
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe('splitJsonObjects and parseWindowsJson', () => {
  it('splits concatenated objects whatever the layout, ignoring braces in strings', () => {
    expect(splitJsonObjects('{"a":"}{"}\n{\n "b": {"c": 1}\n}{"d":"\\"{"}')).toEqual(['{"a":"}{"}', '{\n "b": {"c": 1}\n}', '{"d":"\\"{"}']);
  });

  it('turns each record into an event with time, host and logsource', () => {
    const text = `${JSON.stringify(record({ EventID: 1, Channel: SYSMON, Computer: 'pc1', EventRecordID: 7, TimeCreated: { '#attributes': { SystemTime: '2025-01-01T00:00:01Z' } } }, { Image: 'a' }))}\n{broken`;
    const { events, skipped } = parseWindowsJson(text);
    expect(skipped).toBe(0);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      timestampNs: 1_735_689_601_000_000_000n,
      host: 'pc1',
      sourceType: 'import',
      logsource: { product: 'windows', category: 'process_creation', service: 'sysmon' },
      fields: { Image: 'a', EventID: 1 },
    });
    expect(events[0]?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
