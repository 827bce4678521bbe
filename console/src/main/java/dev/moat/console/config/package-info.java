/** The console's typed configuration ({@code moat.console}). */
package dev.moat.console.config;
