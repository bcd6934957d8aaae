/**
 * The paravirtual 32-bit x86 guest that runs the scenarios on lguest: a model of lguest's Linux
 * guest kernel that keeps real two-level page tables in guest memory (a directory per process,
 * one shared kernel half), forks, execs, exits and switches processes, and tells the hypervisor
 * about every change with lguest's hypercalls, batching them in lazy-MMU sections as Linux does.
 * Its loads and stores go through the vCPU, whose hardware walks only the shadow tables.
 * {@link jvisor.workload.x86.LguestSimulator} is the launcher that sets it all up and reports.
 * May depend on {@code jvisor.memory}, {@code jvisor.hw.x86}, {@code jvisor.kvm.lguest} and
 * {@code jvisor.workload}.
 */
package jvisor.workload.x86;
