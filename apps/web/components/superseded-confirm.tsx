'use client';

/** The confirm step after the API explained that slots would end superseded (nothing was started yet). */
export function SupersededConfirm({
  message,
  confirmLabel,
  pending,
  onConfirm,
  onCancel,
}: {
  message: string;
  confirmLabel: string;
  pending: boolean;
  onConfirm?: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="notice" role="alert" data-testid="superseded-confirm">
      <p style={{ margin: '0 0 8px' }}>{message}</p>
      <div className="row">
        <button type="button" className="btn small" onClick={onCancel}>
          Don&apos;t start
        </button>
        <button
          type={onConfirm ? 'button' : 'submit'}
          className="btn primary small"
          onClick={onConfirm}
          disabled={pending}
          data-testid="confirm-superseded"
        >
          {pending ? 'Starting…' : confirmLabel}
        </button>
      </div>
    </div>
  );
}
