import type { SmtpTest } from '@/lib/guides/mx-backup';

/** A manual SMTP test as a two-column transcript: what to type, what the MX host should answer. */
export function SmtpConversation({ test }: { test: SmtpTest }) {
  return (
    <>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">The SMTP conversation: what to type and what the server answers</caption>
          <thead>
            <tr>
              <th scope="col">You type</th>
              <th scope="col">{test.mxHost} answers</th>
            </tr>
          </thead>
          <tbody>
            {test.conversation.map((line, i) => (
              <tr key={i}>
                <td>
                  <code>{line.send === '' ? '(empty line)' : line.send}</code>
                </td>
                <td>
                  <code>{line.expect}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{test.onReject}</p>
    </>
  );
}
