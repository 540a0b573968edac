// A labelled input with its hint or validation message underneath, linked by
// aria-describedby so screen readers (and tests) find the message for the field.
import type { InputHTMLAttributes } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  name: string;
  error?: string;
  hint?: string;
}

/** The label above a control and its hint or error underneath: the one frame of every field. */
function Labelled({
  label,
  name,
  id,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  id: string;
  error?: string;
  hint?: string;
  children: React.ReactNode;
}) {
  const noteId = `${id}-note`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {error ? (
        <p id={noteId} role="alert" className="mt-1 text-sm text-red-600" data-field-error={name}>
          {error}
        </p>
      ) : (
        hint && (
          <p id={noteId} className="mt-1 text-xs text-slate-500">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** The attributes a control needs to be found by its label and note, styled by its error. */
function controlProps(id: string, name: string, error?: string, hint?: string, background = '') {
  return {
    id,
    name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error || hint ? `${id}-note` : undefined,
    className:
      `mt-1 block w-full rounded-md border ${background}px-3 py-2 text-sm shadow-sm focus:outline-none ` +
      `focus:ring-2 focus:ring-blue-500 ${error ? 'border-red-500' : 'border-slate-300'}`,
  };
}

export function Field({ label, name, error, hint, id = `field-${name}`, ...input }: FieldProps) {
  return (
    <Labelled label={label} name={name} id={id} error={error} hint={hint}>
      <input {...controlProps(id, name, error, hint)} {...input} />
    </Labelled>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
      data-form-error
    >
      {message}
    </p>
  );
}

interface SelectFieldProps {
  label: string;
  name: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  /** First, empty option (e.g. "Choose a team"); omitted when every option is a valid answer. */
  placeholder?: string;
  defaultValue?: string;
  error?: string;
  hint?: string;
  id?: string;
}

export function SelectField({
  label,
  name,
  options,
  placeholder,
  defaultValue,
  error,
  hint,
  id = `field-${name}`,
}: SelectFieldProps) {
  return (
    <Labelled label={label} name={name} id={id} error={error} hint={hint}>
      {/* keyed on the value so a form reset after a rejected submit shows what was chosen */}
      <select
        key={defaultValue ?? ''}
        defaultValue={defaultValue ?? ''}
        {...controlProps(id, name, error, hint, 'bg-white ')}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </Labelled>
  );
}

/**
 * Picks one of many records: a select while the list is short, a text box
 * (slug or email) when there are too many to load into a page.
 */
export function ChoiceField({
  choices,
  textHint,
  ...props
}: Omit<SelectFieldProps, 'options'> & { choices: SelectFieldProps['options'] | null; textHint: string }) {
  if (choices) return <SelectField {...props} options={choices} />;
  const { label, name, defaultValue, error, id } = props;
  return <Field label={label} name={name} defaultValue={defaultValue} error={error} hint={textHint} id={id} />;
}
