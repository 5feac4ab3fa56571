package dev.cairn.api.v1alpha1;

import java.util.List;

/** What must be unique per machine within a cluster, as seen on the host (kubeadm checks the same). */
public record HostIdentity(String hostname, String productUUID, List<String> macAddresses) {}
