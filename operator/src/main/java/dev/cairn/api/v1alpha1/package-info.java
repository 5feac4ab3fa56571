/**
 * The Cairn API, group {@code cairn.dev}, version {@code v1alpha1}.
 *
 * <p>The CRDs in {@code crds/} are generated from these classes by fabric8's crd-generator;
 * validation that can be expressed in the schema (patterns, ranges, enums, CEL rules) lives
 * here as annotations so that {@code kubectl apply} rejects bad input before any host is
 * touched.
 */
package dev.cairn.api.v1alpha1;
