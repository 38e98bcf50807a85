namespace CxrPacsAgent.Worker.Pipeline;

/// <summary>
/// One step of the pipeline: a small adapter over a library that fills in its part of a <see cref="WorkItem"/>.
/// A stage never calls another stage; <see cref="Pipeline"/> says what follows what, and the <see cref="StageRunner"/>
/// moves items between them over bounded channels and records skips and failures. A stage whose output is already
/// on the item (recorded before a restart) does nothing, so every stage can be run again from recorded state.
/// </summary>
public interface IStage
{
    /// <summary>Lower-case name for logs and the <c>stage</c> label of the metrics.</summary>
    string Name { get; }

    /// <summary>Items it works on at once.</summary>
    int Concurrency => 1;

    /// <summary>
    /// Does the stage's work. Return a skip or failure as a value; an <see cref="IOException"/> is taken as passing
    /// (the item is tried again later), any other exception as a failure of the item.
    /// </summary>
    ValueTask<StageOutcome> RunAsync(WorkItem item, CancellationToken cancellationToken);
}
