"""Staff pages of the contacts app: the directory, and customers' contact persons."""
