/**
 * The labelled BGL sample of Loghub (`../shared/data/loghub/BGL`) as the appliance would ingest
 * it, for the detection-quality bench: each line of `BGL_2k.log` becomes a decoded record
 * (message = `<Content>`, event time = `<Timestamp>`, host = `<Node>`, app = `<Component>`,
 * severity from `<Level>`), and its label comes from `BGL_2k.log_structured.csv` (`-` = normal).
 * Also the scoring of per-line verdicts against the labels.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RawEvent } from '../main/core/event.js';
import { Severity, severityFromText } from '../main/core/severity.js';
import { formatToRegex, LOGHUB_DIR, loadBenchmark, parseCsv } from './loghub.js';

export const BGL_DIR = path.join(LOGHUB_DIR, 'BGL');

export interface LabelledEvents {
  raws: RawEvent[];
  /** True for an alert line. */
  labels: boolean[];
}

export function hasBgl(): boolean {
  return fs.existsSync(path.join(BGL_DIR, 'BGL_2k.log')) && fs.existsSync(path.join(BGL_DIR, 'BGL_2k.log_structured.csv'));
}

export function loadBgl(): LabelledEvents {
  const lines = fs.readFileSync(path.join(BGL_DIR, 'BGL_2k.log'), 'utf8').split('\n').filter((l) => l.length > 0);
  const rows = parseCsv(fs.readFileSync(path.join(BGL_DIR, 'BGL_2k.log_structured.csv'), 'utf8'));
  const labelColumn = rows[0]!.indexOf('Label');
  const labels = rows.slice(1).filter((r) => r.length > labelColumn).map((r) => r[labelColumn] !== '-');
  if (labels.length !== lines.length) throw new Error(`BGL: ${lines.length} lines but ${labels.length} labels`);
  const header = formatToRegex(loadBenchmark().BGL!.format);
  const raws = lines.map((line): RawEvent => {
    const g = header.exec(line.trim())?.groups;
    if (!g) throw new Error(`BGL line without the expected header: ${line.slice(0, 80)}`);
    const timestampNs = BigInt(g.Timestamp!) * 1_000_000_000n + BigInt(g.Time!.slice(-6)) * 1000n;
    // BGL's FAILURE level is not a syslog word; it is as grave as FATAL.
    const severity = g.Level === 'FAILURE' ? Severity.FATAL : (severityFromText(g.Level!) ?? Severity.INFORMATIONAL);
    return {
      sourceType: 'file',
      sourceId: 'BGL',
      receivedNs: timestampNs,
      record: { message: g.Content!, timestampNs, severity, host: g.Node!, app: g.Component! },
    };
  });
  return { raws, labels };
}

export interface Quality {
  flagged: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 of per-line verdicts against the labels. */
export function quality(flags: readonly boolean[], labels: readonly boolean[]): Quality {
  let flagged = 0;
  let truePositives = 0;
  let positives = 0;
  flags.forEach((flag, i) => {
    if (labels[i]) positives++;
    if (!flag) return;
    flagged++;
    if (labels[i]) truePositives++;
  });
  const precision = flagged > 0 ? truePositives / flagged : 0;
  const recall = positives > 0 ? truePositives / positives : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { flagged, truePositives, precision, recall, f1 };
}
