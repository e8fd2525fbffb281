import { visibleParts } from '@/lib/monitoring/visible-text';

/**
 * One piece of text that came from Nagios (a service, host name, plugin output): isolated in <bdi>
 * so it cannot reorder the text around it, with control and bidi characters shown as \uXXXX escapes
 * (lib/monitoring/visible-text.ts). Use it everywhere such text is rendered.
 */
export function NagiosText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const parts = visibleParts(text, { multiline });
  return (
    <bdi className="nagios-text">
      {parts.map((p, i) =>
        p.escaped ? (
          <span key={i} className="text-escape" title="a control or direction character in the original text">
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </bdi>
  );
}
