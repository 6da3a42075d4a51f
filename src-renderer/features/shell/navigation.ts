import { createContext, useContext } from 'react';
import type { ViewId } from './views';

/** Shows another view, for actions that end elsewhere (Commit and build shows the build in Builds). */
export const NavigationContext = createContext<(view: ViewId) => void>(() => undefined);

export function useNavigate(): (view: ViewId) => void {
  return useContext(NavigationContext);
}
