using System.Globalization;
using CxrPacsAgent.Dicom.Data;
using CxrPacsAgent.Dicom.Network.Acse;
using CxrPacsAgent.Dicom.Network.Dimse;
using CxrPacsAgent.Dicom.Network.Pdus;
using CxrPacsAgent.Dicom.Network.Storage;
using CxrPacsAgent.Dicom.Network.UpperLayer;

namespace CxrPacsAgent.Dicom.Network.Server;

/// <summary>
/// The DIMSE side of one accepted association (PS3.7): reassembles messages from P-DATA, answers C-ECHO, streams
/// C-STORE data sets to disk, and ends with a release, an abort or a timeout. One message at a time.
/// </summary>
internal sealed class ServerAssociation(UpperLayerConnection connection, Association association, DicomServerOptions options,
    IStoreHandler? storeHandler, DicomServerStatistics statistics)
{
    private readonly CommandAssembler command = new();
    private IncomingStore? store;
    private GenericResponse? pendingReply;
    private byte pendingReplyContext;

    private bool MessageInProgress => command.InProgress || store is not null || pendingReply is not null;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var timeout = MessageInProgress ? options.DimseTimeout : options.IdleTimeout;
                var indication = await connection.ReceiveAsync(timeout, cancellationToken).ConfigureAwait(false);
                switch (indication.Kind)
                {
                    case UpperLayerIndicationKind.PData:
                        foreach (var pdv in indication.PData.Values)
                        {
                            if (await OnPdvAsync(pdv, cancellationToken).ConfigureAwait(false) is { } violation)
                            {
                                await AbortAsync(AssociationFailure.DimseViolation, violation.Kind, violation.Detail, cancellationToken)
                                    .ConfigureAwait(false);
                                return;
                            }
                        }
                        break;
                    case UpperLayerIndicationKind.ReleaseRequest:
                        if (MessageInProgress)
                        {
                            Log(NetworkLogLevel.Warning, "released in the middle of a message; it is dropped");
                        }
                        Abandon();
                        await connection.SendReleaseResponseAsync(cancellationToken).ConfigureAwait(false);
                        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
                        Log(NetworkLogLevel.Debug, "released");
                        return;
                    case UpperLayerIndicationKind.Timeout:
                        await (MessageInProgress
                            ? AbortAsync(AssociationFailure.DimseTimeout, DimseViolation.None,
                                $"nothing for {options.DimseTimeout.TotalSeconds:0.#} s inside a message", cancellationToken)
                            : AbortAsync(AssociationFailure.IdleTimeout, DimseViolation.None,
                                $"no message for {options.IdleTimeout.TotalSeconds:0.#} s", cancellationToken)).ConfigureAwait(false);
                        return;
                    default:
                        statistics.Aborted(indication.Failure);
                        Log(NetworkLogLevel.Warning, $"ended ({indication.Failure}) by {indication}"
                            + (MessageInProgress ? "; the message in progress is dropped" : ""));
                        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (IOException e)
        {
            var failure = e is SendTimeoutException ? AssociationFailure.SendTimeout : AssociationFailure.ConnectionLost;
            statistics.Aborted(failure);
            Log(NetworkLogLevel.Warning, $"ended ({failure}): {e.Message}");
        }
        finally
        {
            Abandon();
            LogTolerated();
        }
    }

    /// <summary>Handles one PDV; returns why the association must be aborted, or null.</summary>
    private async ValueTask<Violation?> OnPdvAsync(PresentationDataValue pdv, CancellationToken cancellationToken)
    {
        if (!association.PresentationContexts.TryGetValue(pdv.PresentationContextId, out var context))
        {
            return new(DimseViolation.UnacceptedPresentationContext, $"PDV on presentation context {pdv.PresentationContextId}, which was not accepted");
        }
        if (pdv.IsCommand)
        {
            if (store is not null || pendingReply is not null)
            {
                return new(DimseViolation.CommandInsideDataSet, "a command arrived before the previous message's data set was complete");
            }
            switch (command.Add(pdv))
            {
                case CommandAssemblyStatus.NeedMore:
                    return null;
                case CommandAssemblyStatus.TooLong:
                    return new(DimseViolation.CommandTooLong, "command set longer than any real one");
                case CommandAssemblyStatus.ContextChanged:
                    return new(DimseViolation.CommandContextChanged, "command fragments on different presentation contexts");
            }
            var decoded = CommandSet.TryDecode(command.Command, out var commandSet, out var error);
            command.Reset();
            return decoded ? await DispatchAsync(commandSet, context, cancellationToken).ConfigureAwait(false)
                : new(DimseViolation.InvalidCommandSet, "invalid command set: " + error);
        }

        if (store is { } current)
        {
            if (pdv.PresentationContextId != current.PresentationContextId)
            {
                return new(DimseViolation.DataSetContextChanged, "data set fragments on another presentation context than their command");
            }
            current.Write(pdv.Data);
            if (pdv.IsLastFragment)
            {
                store = null;
                await FinishStoreAsync(current, cancellationToken).ConfigureAwait(false);
            }
            return null;
        }
        if (pendingReply is { } reply)
        {
            // The data set of a request we do not perform: drop it, then answer.
            if (pdv.IsLastFragment)
            {
                pendingReply = null;
                await connection.SendCommandAsync(pendingReplyContext, reply, cancellationToken).ConfigureAwait(false);
            }
            return null;
        }
        return new(DimseViolation.DataSetWithoutCommand, "a data set fragment arrived without a command");
    }

    private async ValueTask<Violation?> DispatchAsync(DicomDataset commandSet, PresentationContext context, CancellationToken cancellationToken)
    {
        var (field, hasDataset) = DimseMessage.ReadHeader(commandSet);
        if (CommandSet.GetUInt16(commandSet, DicomTags.MessageID) is null && field != CommandField.CCancelRequest)
        {
            return new(DimseViolation.MissingMessageId, $"{field} without a Message ID");
        }
        switch (field)
        {
            case CommandField.CEchoRequest when !hasDataset:
                var echo = CEchoRequest.FromCommand(commandSet);
                var status = context.AbstractSyntax == DicomUids.Verification ? DimseStatus.Success : DimseStatus.SopClassNotSupported;
                statistics.Echo();
                Log(NetworkLogLevel.Debug, $"C-ECHO {echo.MessageId}: {status}");
                await connection.SendCommandAsync(context.Id, new CEchoResponse(echo.MessageId, status, context.AbstractSyntax), cancellationToken)
                    .ConfigureAwait(false);
                return null;
            case CommandField.CStoreRequest when hasDataset:
                var request = CStoreRequest.FromCommand(commandSet);
                store = await IncomingStore.BeginAsync(new StoreRequestContext(association, context, request), options.Storage,
                    storeHandler, cancellationToken).ConfigureAwait(false);
                return null;
            case CommandField.CCancelRequest:
                // Nothing of ours runs long enough to be cancelled.
                return null;
            case CommandField.CEchoRequest or CommandField.CStoreRequest:
                return new(DimseViolation.WrongDataSetType, $"{field} with a wrong Command Data Set Type");
            default:
                if (field.IsResponse())
                {
                    return new(DimseViolation.UnexpectedResponse, $"unexpected response {field}");
                }
                var reply = new GenericResponse(field.ResponseOf(), CommandSet.GetUInt16(commandSet, DicomTags.MessageID) ?? 0,
                    context.AbstractSyntax, DimseStatus.UnrecognizedOperation);
                Log(NetworkLogLevel.Information, $"{field} is not performed here: {DimseStatus.UnrecognizedOperation}");
                if (hasDataset)
                {
                    pendingReply = reply;
                    pendingReplyContext = context.Id;
                    return null;
                }
                await connection.SendCommandAsync(context.Id, reply, cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    private async ValueTask FinishStoreAsync(IncomingStore current, CancellationToken cancellationToken)
    {
        var outcome = await current.CompleteAsync(cancellationToken).ConfigureAwait(false);
        var request = current.Request.Request;
        // The UID comes from the peer's command: sanitised, like AE titles, before it reaches a log line.
        var uid = PeerText.Sanitize(request.AffectedSopInstanceUid);
        if (outcome.Status.IsFailure)
        {
            statistics.StoreFailed();
            Log(NetworkLogLevel.Warning, $"C-STORE {uid} refused: {outcome.Status}"
                + (outcome.ErrorComment is null ? "" : " - " + outcome.ErrorComment)
                + (outcome.OffendingElement is { } tag ? $", element {tag}" : "")
                + (outcome.Detail is null ? "" : ": " + outcome.Detail));
        }
        else
        {
            statistics.Stored();
            Log(NetworkLogLevel.Information, string.Create(CultureInfo.InvariantCulture,
                $"stored {uid} ({current.Received} bytes, {current.Request.PresentationContext.TransferSyntax}) in {current.Timing()}: {outcome.Status}"));
        }
        var response = new CStoreResponse(request.MessageId, request.AffectedSopClassUid, request.AffectedSopInstanceUid, outcome.Status)
        {
            ErrorComment = outcome.Status.IsSuccess ? null : outcome.ErrorComment,
            OffendingElements = outcome.OffendingElement is { } element && !outcome.Status.IsSuccess ? [element] : null,
        };
        await connection.SendCommandAsync(current.PresentationContextId, response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AbortAsync(AssociationFailure failure, DimseViolation violation, string detail, CancellationToken cancellationToken)
    {
        statistics.Aborted(failure, violation);
        Log(NetworkLogLevel.Warning, $"aborting ({(violation == DimseViolation.None ? failure : violation)}): {detail}");
        Abandon();
        await connection.AbortAsync(cancellationToken).ConfigureAwait(false);
        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names a peer whose P-DATA-TF PDUs exceeded our Maximum Length (tolerated up to the hard limit).</summary>
    private void LogTolerated()
    {
        if (connection.OversizePDataCount > 0)
        {
            Log(NetworkLogLevel.Information, $"{connection.OversizePDataCount} P-DATA-TF PDUs longer than the {options.UpperLayer.MaxReceivePduLength} "
                + $"bytes announced were tolerated (limit {options.UpperLayer.MaxReceivePduLengthAccepted})");
        }
    }

    private void Abandon()
    {
        store?.Abandon();
        store = null;
        pendingReply = null;
        command.Reset();
    }

    /// <summary>A DIMSE violation that aborts the association, and what exactly happened.</summary>
    private readonly record struct Violation(DimseViolation Kind, string Detail);

    private void Log(NetworkLogLevel level, string message) => options.Log?.Invoke(level, $"association {association}: {message}");
}
