/** Entry point of the console bundle (scripts/build-console.ts). */
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './app.js';

const root = document.getElementById('app')!;
root.textContent = ''; // the boot message
render(<App />, root);
