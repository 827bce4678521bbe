/** The console's pages and actions (Qute templates), and the gate every request passes ({@link dev.moat.console.web.Guard}). */
package dev.moat.console.web;
