/** A small Sigma rule for tests: fires on sshd lines that contain `word`. */
export interface KeywordRule {
  id: string;
  word: string;
  title?: string;
  level?: string;
  tags?: string[];
}

export function sshdKeywordRule({ id, word, title = 'Canary Word In sshd Output', level = 'high', tags = ['attack.execution', 'attack.t1059.004'] }: KeywordRule): string {
  return [
    `title: ${title}`,
    `id: ${id}`,
    'status: experimental',
    'description: Fires when sshd logs the canary word.',
    'logsource:',
    '    product: linux',
    '    service: sshd',
    'detection:',
    '    keywords:',
    `        - '${word}'`,
    '    condition: keywords',
    'tags:',
    ...tags.map((tag) => `    - ${tag}`),
    'falsepositives:',
    '    - None',
    `level: ${level}`,
    '',
  ].join('\n');
}
