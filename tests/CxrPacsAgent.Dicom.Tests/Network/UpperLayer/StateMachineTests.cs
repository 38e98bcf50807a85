using CxrPacsAgent.Dicom.Network.UpperLayer;
using static CxrPacsAgent.Dicom.Network.UpperLayer.AssociationEvent;
using static CxrPacsAgent.Dicom.Network.UpperLayer.AssociationState;
using static CxrPacsAgent.Dicom.Network.UpperLayer.StateMachineAction;

using CxrPacsAgent.Dicom.Tests.TestSupport;

namespace CxrPacsAgent.Dicom.Tests.Network.UpperLayer;

public class StateMachineTests
{
    // PS3.8 Table 9-10 transcribed a second time, row by row in the standard's own notation, independently of the
    // array in StateTransitionTable: the two must agree cell for cell.
    private const string Table9_10 = """
        Evt1: Sta1 AE-1
        Evt2: Sta4 AE-2
        Evt3: Sta2 AA-1, Sta3 AA-8, Sta5 AE-3, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-6
        Evt4: Sta2 AA-1, Sta3 AA-8, Sta5 AE-4, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-6
        Evt5: Sta1 AE-5
        Evt6: Sta2 AE-6, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-7
        Evt7: Sta3 AE-7
        Evt8: Sta3 AE-8
        Evt9: Sta6 DT-1, Sta8 AR-7
        Evt10: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 DT-2, Sta7 AR-6, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-6
        Evt11: Sta6 AR-1
        Evt12: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AR-2, Sta7 AR-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-6
        Evt13: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AR-3, Sta8 AA-8, Sta9 AA-8, Sta10 AR-10, Sta11 AR-3, Sta12 AA-8, Sta13 AA-6
        Evt14: Sta8 AR-4, Sta9 AR-9, Sta12 AR-4
        Evt15: Sta3 AA-1, Sta4 AA-2, Sta5 AA-1, Sta6 AA-1, Sta7 AA-1, Sta8 AA-1, Sta9 AA-1, Sta10 AA-1, Sta11 AA-1, Sta12 AA-1
        Evt16: Sta2 AA-2, Sta3 AA-3, Sta5 AA-3, Sta6 AA-3, Sta7 AA-3, Sta8 AA-3, Sta9 AA-3, Sta10 AA-3, Sta11 AA-3, Sta12 AA-3, Sta13 AA-2
        Evt17: Sta2 AA-5, Sta3 AA-4, Sta4 AA-4, Sta5 AA-4, Sta6 AA-4, Sta7 AA-4, Sta8 AA-4, Sta9 AA-4, Sta10 AA-4, Sta11 AA-4, Sta12 AA-4, Sta13 AR-5
        Evt18: Sta2 AA-2, Sta13 AA-2
        Evt19: Sta2 AA-1, Sta3 AA-8, Sta5 AA-8, Sta6 AA-8, Sta7 AA-8, Sta8 AA-8, Sta9 AA-8, Sta10 AA-8, Sta11 AA-8, Sta12 AA-8, Sta13 AA-7
        """;

    // The "Next state is" lines of PS3.8 Tables 9-6 to 9-9 (AE-6 and AR-8 are conditional and tested apart).
    private const string NextStates = """
        AE-1 Sta4, AE-2 Sta5, AE-3 Sta6, AE-4 Sta1, AE-5 Sta2, AE-7 Sta6, AE-8 Sta13, DT-1 Sta6, DT-2 Sta6,
        AR-1 Sta7, AR-2 Sta8, AR-3 Sta1, AR-4 Sta13, AR-5 Sta1, AR-6 Sta7, AR-7 Sta8, AR-9 Sta11, AR-10 Sta12,
        AA-1 Sta13, AA-2 Sta1, AA-3 Sta1, AA-4 Sta1, AA-5 Sta1, AA-6 Sta13, AA-7 Sta13, AA-8 Sta13
        """;

    private static Dictionary<(AssociationState, AssociationEvent), StateMachineAction> Transcribed()
    {
        var cells = new Dictionary<(AssociationState, AssociationEvent), StateMachineAction>();
        foreach (var line in Table9_10.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var evt = Enum.Parse<AssociationEvent>(line[..line.IndexOf(':', StringComparison.Ordinal)]);
            foreach (var cell in line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries))
            {
                var parts = cell.Split(' ');
                cells.Add((Enum.Parse<AssociationState>(parts[0]), evt), Enum.Parse<StateMachineAction>(parts[1].Replace("-", "", StringComparison.Ordinal)));
            }
        }
        return cells;
    }

    public static TheoryData<AssociationState, AssociationEvent> AllCells()
    {
        var data = new TheoryData<AssociationState, AssociationEvent>();
        foreach (var state in Enum.GetValues<AssociationState>())
        {
            foreach (var evt in Enum.GetValues<AssociationEvent>())
            {
                data.Add(state, evt);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCells))]
    public void Every_cell_of_table_9_10_is_implemented(AssociationState state, AssociationEvent evt)
    {
        Transcribed().TryGetValue((state, evt), out var expected);
        Assert.Equal(expected == 0 ? null : expected, StateTransitionTable.Lookup(state, evt));
    }

    [Fact]
    public void Table_has_123_non_blank_cells() => Assert.Equal(123, Transcribed().Count);

    [Fact]
    public void Each_action_leads_to_its_next_state()
    {
        foreach (var entry in NextStates.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(' ');
            var action = Enum.Parse<StateMachineAction>(parts[0].Replace("-", "", StringComparison.Ordinal));
            var next = Enum.Parse<AssociationState>(parts[1]);
            Assert.Equal(next, StateTransitionTable.NextState(action, isRequestor: true));
            Assert.Equal(next, StateTransitionTable.NextState(action, isRequestor: false));
        }
        Assert.Equal(Sta3, StateTransitionTable.NextState(AE6, false, requestAcceptable: true));
        Assert.Equal(Sta13, StateTransitionTable.NextState(AE6, false, requestAcceptable: false));
        Assert.Equal(Sta9, StateTransitionTable.NextState(AR8, isRequestor: true));
        Assert.Equal(Sta10, StateTransitionTable.NextState(AR8, isRequestor: false));
    }

    [Theory]
    [MemberData(nameof(AllCells))]
    public void Firing_applies_the_cell_or_refuses_a_blank_one(AssociationState state, AssociationEvent evt)
    {
        // Collision states belong to one side each: Sta9 and Sta11 to the requestor, Sta10 and Sta12 to the acceptor.
        bool[] roles = state switch { Sta9 or Sta11 => [true], Sta10 or Sta12 => [false], _ => [true, false] };
        foreach (var requestor in roles)
        {
            var machine = MachineIn(state, requestor);
            Assert.Equal(state, machine.State);
            var expected = StateTransitionTable.Lookup(state, evt);
            if (expected is null)
            {
                Assert.False(machine.CanFire(evt));
                Assert.Throws<InvalidOperationException>(() => machine.Fire(evt));
                Assert.Equal(state, machine.State);
            }
            else
            {
                Assert.Equal(expected, machine.Fire(evt));
                Assert.Equal(StateTransitionTable.NextState(expected.Value, requestor), machine.State);
            }
        }
    }

    [Fact]
    public void Acceptor_lifecycle_with_release()
    {
        var m = new AssociationStateMachine(isRequestor: false);
        Assert.Equal(AE5, m.Fire(Evt5));
        Assert.Equal(AE6, m.Fire(Evt6));
        Assert.Equal(Sta3, m.State);
        Assert.Equal(AE7, m.Fire(Evt7));
        Assert.Equal(DT2, m.Fire(Evt10));
        Assert.Equal(DT1, m.Fire(Evt9));
        Assert.Equal(AR2, m.Fire(Evt12));
        Assert.Equal(AR4, m.Fire(Evt14));
        Assert.Equal(AR5, m.Fire(Evt17));
        Assert.Equal(Sta1, m.State);
    }

    [Fact]
    public void Unacceptable_request_goes_to_sta13_via_ae6()
    {
        var m = new AssociationStateMachine(isRequestor: false);
        m.Fire(Evt5);
        Assert.Equal(AE6, m.Fire(Evt6, requestAcceptable: false));
        Assert.Equal(Sta13, m.State);
    }

    [Fact]
    public void Requestor_lifecycle_with_release()
    {
        var m = new AssociationStateMachine(isRequestor: true);
        Assert.Equal(AE1, m.Fire(Evt1));
        Assert.Equal(AE2, m.Fire(Evt2));
        Assert.Equal(AE3, m.Fire(Evt3));
        Assert.Equal(DT1, m.Fire(Evt9));
        Assert.Equal(DT2, m.Fire(Evt10));
        Assert.Equal(AR1, m.Fire(Evt11));
        Assert.Equal(AR6, m.Fire(Evt10));
        Assert.Equal(AR3, m.Fire(Evt13));
        Assert.Equal(Sta1, m.State);
    }

    [Fact]
    public void Release_collision_on_both_sides()
    {
        // Requestor: AR-8 to Sta9, AR-9 to Sta11, AR-3 to Sta1.
        var requestor = MachineIn(Sta7, isRequestor: true);
        Assert.Equal(AR8, requestor.Fire(Evt12));
        Assert.Equal(Sta9, requestor.State);
        Assert.Equal(AR9, requestor.Fire(Evt14));
        Assert.Equal(AR3, requestor.Fire(Evt13));
        Assert.Equal(Sta1, requestor.State);
        // Acceptor: AR-8 to Sta10, AR-10 to Sta12, AR-4 to Sta13.
        var acceptor = MachineIn(Sta7, isRequestor: false);
        Assert.Equal(AR8, acceptor.Fire(Evt12));
        Assert.Equal(Sta10, acceptor.State);
        Assert.Equal(AR10, acceptor.Fire(Evt13));
        Assert.Equal(AR4, acceptor.Fire(Evt14));
        Assert.Equal(Sta13, acceptor.State);
    }

    [Fact]
    public void Artim_starts_on_connection_stops_on_request_and_expires_in_sta13()
    {
        var clock = new ManualTimeProvider();
        var expired = 0;
        using var artim = new ArtimTimer(TimeSpan.FromSeconds(10), () => expired++, clock);
        var m = new AssociationStateMachine(isRequestor: false, artim);
        m.Fire(Evt5);
        Assert.True(artim.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, expired);
        m.Fire(Evt6);
        Assert.False(artim.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(0, expired);
        m.Fire(Evt8);
        Assert.True(artim.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, expired);
        Assert.True(artim.HasExpired);
        Assert.Equal(AA2, m.Fire(Evt18));
        Assert.Equal(Sta1, m.State);
    }

    [Fact]
    public void Artim_expires_when_no_request_arrives()
    {
        var clock = new ManualTimeProvider();
        var expired = 0;
        using var artim = new ArtimTimer(TimeSpan.FromSeconds(5), () => expired++, clock);
        var m = new AssociationStateMachine(isRequestor: false, artim);
        m.Fire(Evt5);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, expired);
        Assert.Equal(AA2, m.Fire(Evt18));
    }

    [Fact]
    public void Abort_restarts_artim_and_close_stops_it()
    {
        var clock = new ManualTimeProvider();
        var expired = 0;
        using var artim = new ArtimTimer(TimeSpan.FromSeconds(10), () => expired++, clock);
        var m = new AssociationStateMachine(isRequestor: false, artim);
        m.Fire(Evt5);
        m.Fire(Evt6);
        m.Fire(Evt7);
        Assert.Equal(AA1, m.Fire(Evt15));
        Assert.True(artim.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(AR5, m.Fire(Evt17));
        Assert.False(artim.IsRunning);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, expired);
    }

    [Fact]
    public void Artim_restart_discards_the_old_deadline()
    {
        var clock = new ManualTimeProvider();
        var expired = 0;
        using var artim = new ArtimTimer(TimeSpan.FromSeconds(10), () => expired++, clock);
        artim.Start();
        clock.Advance(TimeSpan.FromSeconds(8));
        artim.Start();
        clock.Advance(TimeSpan.FromSeconds(8));
        Assert.Equal(0, expired);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, expired);
    }

    /// <summary>Drives a fresh machine along legal events into <paramref name="state"/>.</summary>
    private static AssociationStateMachine MachineIn(AssociationState state, bool isRequestor)
    {
        var m = new AssociationStateMachine(isRequestor);
        AssociationEvent[] path = state switch
        {
            Sta1 => [],
            Sta2 => [Evt5],
            Sta3 => [Evt5, Evt6],
            Sta4 => [Evt1],
            Sta5 => [Evt1, Evt2],
            Sta6 => [Evt1, Evt2, Evt3],
            Sta7 => [Evt1, Evt2, Evt3, Evt11],
            Sta8 => [Evt1, Evt2, Evt3, Evt12],
            Sta9 => [Evt1, Evt2, Evt3, Evt11, Evt12],
            Sta10 => [Evt1, Evt2, Evt3, Evt11, Evt12],
            Sta11 => [Evt1, Evt2, Evt3, Evt11, Evt12, Evt14],
            Sta12 => [Evt1, Evt2, Evt3, Evt11, Evt12, Evt13],
            _ => [Evt1, Evt2, Evt3, Evt15],
        };
        foreach (var evt in path)
        {
            m.Fire(evt);
        }
        return m;
    }
}
