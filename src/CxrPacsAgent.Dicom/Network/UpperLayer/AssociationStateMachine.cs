namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>
/// The upper layer state machine of one association (PS3.8 9.2), driven by <see cref="StateTransitionTable"/>. It
/// decides; the connection that owns it performs the I/O the returned action names.
/// </summary>
public sealed class AssociationStateMachine(bool isRequestor, ArtimTimer? artim = null)
{
    public AssociationState State { get; private set; } = AssociationState.Sta1;

    /// <summary>True on the side that sent the A-ASSOCIATE-RQ (decides AR-8 in a release collision).</summary>
    public bool IsRequestor { get; } = isRequestor;

    public ArtimTimer? Artim { get; } = artim;

    /// <summary>
    /// Applies <paramref name="evt"/>: looks up the action, moves to the next state and starts or stops the ARTIM
    /// timer. <paramref name="requestAcceptable"/> is the service-provider's verdict for AE-6.
    /// </summary>
    /// <exception cref="InvalidOperationException">The event cannot occur in the current state (a blank cell).</exception>
    public StateMachineAction Fire(AssociationEvent evt, bool requestAcceptable = true)
    {
        var action = StateTransitionTable.Lookup(State, evt)
            ?? throw new InvalidOperationException($"{evt} is not valid in {State} (PS3.8 Table 9-10).");
        State = StateTransitionTable.NextState(action, IsRequestor, requestAcceptable);
        switch (StateTransitionTable.ArtimEffectOf(action, requestAcceptable))
        {
            case ArtimEffect.Start:
                Artim?.Start();
                break;
            case ArtimEffect.Stop:
                Artim?.Stop();
                break;
        }
        return action;
    }

    /// <summary>True where <paramref name="evt"/> has an action in the current state.</summary>
    public bool CanFire(AssociationEvent evt) => StateTransitionTable.Lookup(State, evt) is not null;
}
