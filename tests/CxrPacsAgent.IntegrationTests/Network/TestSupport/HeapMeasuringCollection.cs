namespace CxrPacsAgent.IntegrationTests.Network.TestSupport;

/// <summary>Tests that measure the process's managed heap: xunit runs this collection on its own, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    public const string Name = "Heap measuring (runs alone)";
}
