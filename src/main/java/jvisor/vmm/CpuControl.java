package jvisor.vmm;

/**
 * What RTAS needs from the SMP machine to start and stop processors. The machine implements it
 * over its vCPU threads; every method is called on the thread of the vCPU that made the RTAS call.
 * Server numbers are the guest's ({@code ibm,ppc-interrupt-server#s}, equal to the cpu's reg) and
 * untrusted.
 */
public interface CpuControl {

    /** query-cpu-stopped-state: the processor is stopped and can be started. */
    int STOPPED = 0;
    /** query-cpu-stopped-state: a stop is under way. */
    int STOP_IN_PROGRESS = 1;
    /** query-cpu-stopped-state: the processor is running (neither stopped nor stopping). */
    int RUNNING = 2;

    /**
     * start-cpu: starts the stopped processor {@code server} at real address {@code entry} with r3 =
     * {@code r3}, MSR = SF|ME, big-endian, other GPRs 0. Returns an RTAS status: {@link Rtas#SUCCESS},
     * {@link Rtas#PARAMETER_ERROR} for an unknown server, {@link Rtas#HARDWARE_ERROR} if it is not
     * stopped.
     */
    int startCpu(int server, long entry, long r3);

    /** stop-self: the calling processor stops once its current exit has been handled. */
    void stopSelf();

    /** query-cpu-stopped-state: {@link #STOPPED}, {@link #STOP_IN_PROGRESS} or {@link #RUNNING}; negative for an unknown server. */
    int queryStopped(int server);

    /** A uniprocessor: CPU 0 is always running and there is no other to start. */
    CpuControl UNIPROCESSOR = new CpuControl() {
        @Override
        public int startCpu(int server, long entry, long r3) {
            return server == 0 ? Rtas.HARDWARE_ERROR : Rtas.PARAMETER_ERROR;
        }

        @Override
        public void stopSelf() {}

        @Override
        public int queryStopped(int server) {
            return server == 0 ? RUNNING : -1;
        }
    };
}
