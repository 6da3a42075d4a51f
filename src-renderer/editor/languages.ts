/** The languages the editor highlights today; Monaco registers exactly these (see monaco.ts). */
export const EDITOR_LANGUAGES = [
  { id: 'dockerfile', label: 'Dockerfile' },
  { id: 'yaml', label: 'YAML' },
  { id: 'json', label: 'JSON' },
] as const;

export type EditorLanguage = (typeof EDITOR_LANGUAGES)[number]['id'];

export function isEditorLanguage(value: unknown): value is EditorLanguage {
  return EDITOR_LANGUAGES.some((language) => language.id === value);
}
