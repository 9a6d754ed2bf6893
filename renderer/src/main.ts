import { mount } from 'svelte';
import './styles.css';
import App from './App.svelte';
import { resolveApi } from './bridge';

const target = document.getElementById('app');
if (!target) throw new Error('Loupe: #app is missing from index.html');

// The API decides everything else, so resolve it before the first render.
resolveApi().then((api) => mount(App, { target, props: { api } }));
