'use client';
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: focus moves in and is trapped, Escape closes, focus returns to the
 * opener. Render it only while open.
 */
export function Dialog({
  title,
  onClose,
  children,
  footer,
  onSubmit,
  variant = 'dialog',
  labelledBy,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  onSubmit?: () => void;
  variant?: 'dialog' | 'drawer';
  labelledBy?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!el.open) el.showModal();
    const onCancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    el.addEventListener('cancel', onCancel);
    return () => {
      el.removeEventListener('cancel', onCancel);
      if (el.open) el.close();
      opener?.focus?.();
    };
  }, []);
  const titleId = labelledBy ?? 'dialog-title';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <dialog
      ref={ref}
      className={variant}
      aria-labelledby={titleId}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (e.target === ref.current) onClose();
      }}
    >
      <form className={variant === 'drawer' ? 'drawer-inner' : 'dialog'} onSubmit={submit} style={variant === 'drawer' ? { display: 'flex', flexDirection: 'column', height: '100%' } : undefined}>
        <header>
          <h2 id={titleId} style={{ margin: 0, flex: 1 }}>
            {title}
          </h2>
          {variant === 'drawer' && (
            <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close">
              ✕
            </button>
          )}
        </header>
        <div className="body" style={variant === 'drawer' ? { flex: 1 } : undefined}>
          {children}
        </div>
        {footer && <footer>{footer}</footer>}
      </form>
    </dialog>
  );
}
