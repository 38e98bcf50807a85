using static CxrPacsAgent.Dicom.Network.UpperLayer.StateMachineAction;

namespace CxrPacsAgent.Dicom.Network.UpperLayer;

/// <summary>
/// PS3.8 Table 9-10, cell for cell: the action for each event in each state. Blank cells of the standard (events that
/// cannot occur in a state) are <c>null</c>.
/// </summary>
public static class StateTransitionTable
{
    private const StateMachineAction No = 0;

    // Rows Evt1–Evt19, columns Sta1–Sta13, as printed in the standard.
    private static readonly StateMachineAction[,] Table =
    {
        //         Sta1 Sta2 Sta3 Sta4 Sta5 Sta6 Sta7 Sta8 Sta9 Sta10 Sta11 Sta12 Sta13
        /* Evt1 */ { AE1, No,  No,  No,  No,  No,  No,  No,  No,  No,   No,   No,   No },
        /* Evt2 */ { No,  No,  No,  AE2, No,  No,  No,  No,  No,  No,   No,   No,   No },
        /* Evt3 */ { No,  AA1, AA8, No,  AE3, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA6 },
        /* Evt4 */ { No,  AA1, AA8, No,  AE4, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA6 },
        /* Evt5 */ { AE5, No,  No,  No,  No,  No,  No,  No,  No,  No,   No,   No,   No },
        /* Evt6 */ { No,  AE6, AA8, No,  AA8, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA7 },
        /* Evt7 */ { No,  No,  AE7, No,  No,  No,  No,  No,  No,  No,   No,   No,   No },
        /* Evt8 */ { No,  No,  AE8, No,  No,  No,  No,  No,  No,  No,   No,   No,   No },
        /* Evt9 */ { No,  No,  No,  No,  No,  DT1, No,  AR7, No,  No,   No,   No,   No },
        /* Evt10 */{ No,  AA1, AA8, No,  AA8, DT2, AR6, AA8, AA8, AA8,  AA8,  AA8,  AA6 },
        /* Evt11 */{ No,  No,  No,  No,  No,  AR1, No,  No,  No,  No,   No,   No,   No },
        /* Evt12 */{ No,  AA1, AA8, No,  AA8, AR2, AR8, AA8, AA8, AA8,  AA8,  AA8,  AA6 },
        /* Evt13 */{ No,  AA1, AA8, No,  AA8, AA8, AR3, AA8, AA8, AR10, AR3,  AA8,  AA6 },
        /* Evt14 */{ No,  No,  No,  No,  No,  No,  No,  AR4, AR9, No,   No,   AR4,  No },
        /* Evt15 */{ No,  No,  AA1, AA2, AA1, AA1, AA1, AA1, AA1, AA1,  AA1,  AA1,  No },
        /* Evt16 */{ No,  AA2, AA3, No,  AA3, AA3, AA3, AA3, AA3, AA3,  AA3,  AA3,  AA2 },
        /* Evt17 */{ No,  AA5, AA4, AA4, AA4, AA4, AA4, AA4, AA4, AA4,  AA4,  AA4,  AR5 },
        /* Evt18 */{ No,  AA2, No,  No,  No,  No,  No,  No,  No,  No,   No,   No,   AA2 },
        /* Evt19 */{ No,  AA1, AA8, No,  AA8, AA8, AA8, AA8, AA8, AA8,  AA8,  AA8,  AA7 },
    };

    /// <summary>The action for <paramref name="evt"/> in <paramref name="state"/>, or null where the table is blank.</summary>
    public static StateMachineAction? Lookup(AssociationState state, AssociationEvent evt)
    {
        var action = Table[(int)evt - 1, (int)state - 1];
        return action == No ? null : action;
    }

    /// <summary>
    /// The state an action leads to (PS3.8 Tables 9-6 to 9-9). AE-6 depends on whether the service-provider finds the
    /// request acceptable, AR-8 on which side requested the association.
    /// </summary>
    public static AssociationState NextState(StateMachineAction action, bool isRequestor, bool requestAcceptable = true) => action switch
    {
        AE1 => AssociationState.Sta4,
        AE2 => AssociationState.Sta5,
        AE3 or AE7 or DT1 or DT2 => AssociationState.Sta6,
        AE4 or AR3 or AR5 or AA2 or AA3 or AA4 or AA5 => AssociationState.Sta1,
        AE5 => AssociationState.Sta2,
        AE6 => requestAcceptable ? AssociationState.Sta3 : AssociationState.Sta13,
        AE8 or AR4 or AA1 or AA6 or AA7 or AA8 => AssociationState.Sta13,
        AR1 or AR6 => AssociationState.Sta7,
        AR2 or AR7 => AssociationState.Sta8,
        AR8 => isRequestor ? AssociationState.Sta9 : AssociationState.Sta10,
        AR9 => AssociationState.Sta11,
        AR10 => AssociationState.Sta12,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>What an action does to the ARTIM timer (PS3.8 9.1.5 and the action definitions).</summary>
    public static ArtimEffect ArtimEffectOf(StateMachineAction action, bool requestAcceptable = true) => action switch
    {
        AE5 or AE8 or AR4 or AA1 or AA8 => ArtimEffect.Start,
        AE6 => requestAcceptable ? ArtimEffect.Stop : ArtimEffect.Start,
        AR5 or AA2 or AA5 => ArtimEffect.Stop,
        _ => ArtimEffect.None,
    };
}

/// <summary>How an action touches the ARTIM timer; Start also restarts a running timer (AA-1).</summary>
public enum ArtimEffect
{
    None,
    Start,
    Stop,
}
