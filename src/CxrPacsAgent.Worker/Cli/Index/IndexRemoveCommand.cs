using System.CommandLine;

namespace CxrPacsAgent.Worker.Cli.Index;

/// <summary><c>index remove UID</c>: deletes an image (SOP Instance UID) from every model's library, images included.</summary>
internal static class IndexRemoveCommand
{
    public static Command Create()
    {
        var uid = new Argument<string>("uid") { Description = "SOP Instance UID of the image to remove" };
        var library = new LibraryLocation.Options();
        var command = new Command("remove", "Remove an image from the library (all models)") { uid };
        library.AddTo(command);
        command.SetAction((r, cancellationToken) => IndexErrors.GuardAsync(async () =>
        {
            using var store = await library.Resolve(r).OpenAsync(cancellationToken).ConfigureAwait(false);
            var removed = await store.RemoveAsync(r.GetValue(uid)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (removed.Count == 0)
            {
                Console.Error.WriteLine($"error: no library entry has SOP Instance UID {r.GetValue(uid)}");
                return IndexErrors.CannotDo;
            }
            foreach (var entry in removed)
            {
                Console.WriteLine($"removed entry {entry.EntryId} from the {entry.Model} library");
            }
            return 0;
        }));
        return command;
    }
}
