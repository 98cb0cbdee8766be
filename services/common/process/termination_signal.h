// Waiting for SIGTERM or SIGINT without async signal handlers: the signals
// are blocked in every thread and received synchronously by the main thread.
#pragma once

namespace tiendo::process {

// Blocks SIGTERM and SIGINT in the calling thread. Call first thing in main,
// before any thread starts, so every thread inherits the mask.
void BlockTerminationSignals();

// Waits until SIGTERM or SIGINT arrives and returns its number.
int AwaitTerminationSignal();

}  // namespace tiendo::process
