/** A state as text and colour: never colour alone. */
export function StateBadge({ state, stateType }: { state: string | null; stateType?: 'HARD' | 'SOFT' }) {
  const label = state ?? 'NO DATA';
  return (
    <span className={`state state-${state ?? 'NONE'}`}>
      {label}
      {stateType === 'SOFT' ? ' (unconfirmed)' : ''}
    </span>
  );
}
