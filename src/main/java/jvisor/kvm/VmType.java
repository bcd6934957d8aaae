package jvisor.kvm;

import java.util.function.Function;

/** A KVM_CREATE_VM machine type: its name and how to build the architecture's MMU for a new VM. */
public record VmType<A extends ArchMmu>(String name, Function<Vm<A>, A> createMmu) {}
