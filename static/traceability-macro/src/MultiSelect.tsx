import Select from '@atlaskit/select';
import { field } from './styles';

export type Option = { label: string; value: string };

/** A labelled multi-select (Atlassian's Select) over string values; none selected reads as `placeholder`. */
export const MultiSelect = ({
  id,
  label,
  options,
  selected,
  onChange,
  placeholder,
}: {
  id: string;
  label: string;
  options: readonly Option[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
  placeholder: string;
}) => (
  <div style={field}>
    <label htmlFor={id}>{label}</label>
    <Select<Option, true>
      inputId={id}
      isMulti
      options={options}
      value={options.filter((o) => selected.includes(o.value))}
      onChange={(chosen) => onChange(chosen.map((o) => o.value))}
      placeholder={placeholder}
    />
  </div>
);
