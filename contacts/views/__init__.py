"""Staff pages of the contacts app, one module per concept: the directory and its
categories (directory), a directory contact (directory_contacts), choosing contacts onto a
customer (choosing), export and import (exchange), a customer's contact persons (persons);
what the directory pages share is in common. The profile tabs are contacts.tab."""
