import type { GuideStep } from '@/lib/guides/guide-step';
import { CopyButton } from './copy-button';

/** A block of text to paste, with its own copy button. */
export function CodeBlock({ text, label = 'Copy', caption }: { text: string; label?: string; caption?: string }) {
  return (
    <figure className="code-block" style={{ margin: '.5rem 0' }}>
      {caption && <figcaption className="small muted">{caption}</figcaption>}
      <pre style={{ background: 'var(--panel)', border: '1px solid var(--line)', borderRadius: 6, padding: '.6rem .75rem', overflowX: 'auto', margin: '.25rem 0' }}>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label={label} />
    </figure>
  );
}

/** Numbered copy-paste steps: what to do, the commands, and any lines to put into a file. */
export function GuideSteps({ steps }: { steps: GuideStep[] }) {
  return (
    <ol className="guide-steps">
      {steps.map((step, i) => (
        <li key={i} style={{ marginBottom: '.75rem' }}>
          <strong>{step.title}</strong>
          {step.text && <p style={{ margin: '.25rem 0' }}>{step.text}</p>}
          {step.commands.length > 0 && <CodeBlock text={step.commands.join('\n')} label="Copy commands" />}
          {step.edit && (
            <CodeBlock
              text={step.edit.lines.join('\n')}
              label="Copy lines"
              caption={
                step.edit.replaces
                  ? `In ${step.edit.path}, replace the line “${step.edit.replaces}” with:`
                  : `Add to ${step.edit.path}:`
              }
            />
          )}
        </li>
      ))}
    </ol>
  );
}
