/**
 * Guests for the engines that have no CPU emulator: scenarios written once as sequences of
 * guest-OS actions (create an address space, map, switch, load/store/fetch, fork, exit, program a
 * device, dirty logging), and per-architecture guest models that carry them out on real page
 * tables in guest memory. May depend on {@code jvisor.memory}, {@code jvisor.hw} and
 * {@code jvisor.kvm}; never on the VMM or the CLI.
 */
package jvisor.workload;
