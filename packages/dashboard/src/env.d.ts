// Stylesheets are imported for their effect (Vite puts them in the built CSS file); they export nothing.
declare module '*.css';
