// Registry providers land here.
