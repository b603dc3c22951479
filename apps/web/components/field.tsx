import { cloneElement, isValidElement, type ReactElement, type ReactNode } from 'react';

/** Label, control, one-line help and the error, wired together for screen readers. */
export function Field({ id, label, help, error, children }: { id: string; label: ReactNode; help?: ReactNode; error?: string; children: ReactElement<Record<string, unknown>> }) {
  const described = [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const control = isValidElement(children) ? cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described }) : children;
  return (
    <div className="field" data-field={id}>
      <label htmlFor={id}>{label}</label>
      {control}
      {help && (
        <span className="help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span className="error" id={`${id}-error`} role="alert" data-testid={`error-${id}`}>
          {error}
        </span>
      )}
    </div>
  );
}
