import { mountSurface } from '../../shared/mount';
import { App } from './App';

mountSurface(<App />);
