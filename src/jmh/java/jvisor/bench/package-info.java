/**
 * JMH benchmarks of jvisor's hot paths. Each class's Javadoc has a table of what each benchmark
 * measures. Compiled with the tests so they never rot; run them with the JMH runner on the test
 * classpath, e.g. {@code java -cp target/test-classes:target/classes:<deps> org.openjdk.jmh.Main
 * RadixTranslationBenchmark -f 1 -wi 2 -i 3}. May depend on anything in jvisor.
 */
package jvisor.bench;
