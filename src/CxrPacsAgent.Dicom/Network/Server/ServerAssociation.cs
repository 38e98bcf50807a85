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
                                await AbortAsync(violation, cancellationToken).ConfigureAwait(false);
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
                        await AbortAsync(MessageInProgress
                            ? $"DIMSE timeout: nothing for {options.DimseTimeout.TotalSeconds:0.#} s inside a message"
                            : $"idle timeout: no message for {options.IdleTimeout.TotalSeconds:0.#} s", cancellationToken).ConfigureAwait(false);
                        return;
                    default:
                        statistics.Aborted();
                        Log(NetworkLogLevel.Warning, $"ended by {indication.Kind}{(indication.Pdu is Abort a ? " " + a : "")}"
                            + (indication.Rejection != PduRejectionReason.None ? $" ({indication.Rejection})" : "")
                            + (MessageInProgress ? "; the message in progress is dropped" : ""));
                        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (IOException e)
        {
            statistics.Aborted();
            Log(NetworkLogLevel.Warning, "connection lost: " + e.Message);
        }
        finally
        {
            Abandon();
        }
    }

    /// <summary>Handles one PDV; returns why the association must be aborted, or null.</summary>
    private async ValueTask<string?> OnPdvAsync(PresentationDataValue pdv, CancellationToken cancellationToken)
    {
        if (!association.PresentationContexts.TryGetValue(pdv.PresentationContextId, out var context))
        {
            return $"PDV on presentation context {pdv.PresentationContextId}, which was not accepted";
        }
        if (pdv.IsCommand)
        {
            if (store is not null || pendingReply is not null)
            {
                return "a command arrived before the previous message's data set was complete";
            }
            switch (command.Add(pdv))
            {
                case CommandAssemblyStatus.NeedMore:
                    return null;
                case CommandAssemblyStatus.TooLong:
                    return "command set longer than any real one";
                case CommandAssemblyStatus.ContextChanged:
                    return "command fragments on different presentation contexts";
            }
            var decoded = CommandSet.TryDecode(command.Command, out var commandSet, out var error);
            command.Reset();
            return decoded ? await DispatchAsync(commandSet, context, cancellationToken).ConfigureAwait(false) : "invalid command set: " + error;
        }

        if (store is { } current)
        {
            if (pdv.PresentationContextId != current.PresentationContextId)
            {
                return "data set fragments on another presentation context than their command";
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
        return "a data set fragment arrived without a command";
    }

    private async ValueTask<string?> DispatchAsync(DicomDataset commandSet, PresentationContext context, CancellationToken cancellationToken)
    {
        var (field, hasDataset) = DimseMessage.ReadHeader(commandSet);
        if (CommandSet.GetUInt16(commandSet, DicomTags.MessageID) is null && field != CommandField.CCancelRequest)
        {
            return $"{field} without a Message ID";
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
                return $"{field} with a wrong Command Data Set Type";
            default:
                if (field.IsResponse())
                {
                    return $"unexpected response {field}";
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
        if (outcome.Status.IsFailure)
        {
            statistics.StoreFailed();
            Log(NetworkLogLevel.Warning, $"C-STORE {request.AffectedSopInstanceUid} refused: {outcome.Status}"
                + (outcome.ErrorComment is null ? "" : " - " + outcome.ErrorComment));
        }
        else
        {
            statistics.Stored();
            Log(NetworkLogLevel.Information, string.Create(CultureInfo.InvariantCulture,
                $"stored {request.AffectedSopInstanceUid} ({current.Received} bytes, {current.Request.PresentationContext.TransferSyntax}) in {current.Timing()}: {outcome.Status}"));
        }
        var response = new CStoreResponse(request.MessageId, request.AffectedSopClassUid, request.AffectedSopInstanceUid, outcome.Status)
        {
            ErrorComment = outcome.Status.IsSuccess ? null : outcome.ErrorComment,
        };
        await connection.SendCommandAsync(current.PresentationContextId, response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AbortAsync(string reason, CancellationToken cancellationToken)
    {
        statistics.Aborted();
        Log(NetworkLogLevel.Warning, "aborting: " + reason);
        Abandon();
        await connection.AbortAsync(cancellationToken).ConfigureAwait(false);
        await connection.WaitForCloseAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Abandon()
    {
        store?.Abandon();
        store = null;
        pendingReply = null;
        command.Reset();
    }

    private void Log(NetworkLogLevel level, string message) => options.Log?.Invoke(level, $"association {association}: {message}");
}
