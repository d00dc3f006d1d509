import type { FieldMetadata } from '@conform-to/react';
import type { WishlistStatus } from '#db/schema';
import { SelectField, TextareaField, TextField, type Option } from '~/components/form-fields';
import { DateField } from '~/modules/contracts/contract-ui';
import { PHOTO_ACCEPT, PHOTO_ALT_MAX, PHOTO_HINT } from '~/modules/photos/photo-limits';
import { ITEM_LIMITS } from './items.schema';
import { CATEGORY_LABELS, STATUS_LABELS, WISHLIST_CATEGORIES } from './wishlist';

// UI pieces for the VCSE and officer wishlist pages. No server imports: these reach the browser.

type Field = FieldMetadata<unknown>;

export const STATUS_TAG_CLASSES: Record<WishlistStatus, string> = {
  draft: 'govuk-tag--grey',
  submitted: 'govuk-tag--blue',
  published: 'govuk-tag--green',
  rejected: 'govuk-tag--red',
  pledged: 'govuk-tag--turquoise',
  fulfilled: 'govuk-tag--purple',
  closed: 'govuk-tag--grey',
  withdrawn: 'govuk-tag--grey',
  expired: 'govuk-tag--orange',
};

export function ItemStatusTag({ status }: { status: WishlistStatus }) {
  return <strong className={`govuk-tag ${STATUS_TAG_CLASSES[status]}`}>{STATUS_LABELS[status]}</strong>;
}

export const CATEGORY_OPTIONS: Option[] = WISHLIST_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));

/** A GOV.UK file upload for one photo. The form must be sent as multipart/form-data. */
export function PhotoField({ field, label = 'Photo (optional)' }: { field: Field; label?: string }) {
  const error = field.errors?.[0];
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label" htmlFor={field.id}>{label}</label>
      <div id={`${field.id}-hint`} className="govuk-hint">{PHOTO_HINT}</div>
      {error ? <p id={field.errorId} className="govuk-error-message"><span className="govuk-visually-hidden">Error:</span> {error}</p> : null}
      <input
        className={`govuk-file-upload${error ? ' govuk-file-upload--error' : ''}`} id={field.id} name={field.name} type="file" accept={PHOTO_ACCEPT}
        aria-describedby={[`${field.id}-hint`, error ? field.errorId : ''].filter(Boolean).join(' ')}
      />
    </div>
  );
}

/** The item form's fields, shared by "add" and "edit". */
export function ItemFields({ fields, themes, wards, currentPhoto }: {
  fields: Record<'title' | 'description' | 'category' | 'theme' | 'wardId' | 'estimatedValue' | 'quantityDetail' | 'neededBy' | 'photo' | 'photoAlt' | 'removePhoto', Field>;
  themes: Option[];
  wards: Option[];
  currentPhoto: { src: string; alt: string } | null;
}) {
  return (
    <>
      <TextField field={fields.title} label="Title" hint={`What you need, in a few words, like “Laptops for our homework club”. Up to ${ITEM_LIMITS.title} characters.`} autoComplete="off" />
      <TextareaField field={fields.description} label="Description" hint={`What you need, who it will help and how. The public will see this. Up to ${ITEM_LIMITS.description.toLocaleString('en-GB')} characters.`} rows={6} />
      <SelectField field={fields.category} label="Category" placeholder="Select a category" options={CATEGORY_OPTIONS} />
      <SelectField field={fields.theme} label="Theme" hint="The council’s social value theme this need fits best. It helps contractors find it." placeholder="Select a theme" options={themes} />
      <SelectField field={fields.wardId} label="Ward (optional)" hint="Where the need is, if it is in one ward." placeholder="Not one ward" options={wards} />
      <TextField field={fields.estimatedValue} label="Estimated value" hint="In pounds: what it would cost to buy or pay for, like 250 or £1,250.00." width="10" inputMode="decimal" autoComplete="off" />
      <TextField field={fields.quantityDetail} label="Quantity or detail (optional)" hint="For example “6 laptops”, “2 volunteers for 4 hours a week” or “a room for 30 people”." autoComplete="off" />
      <DateField field={fields.neededBy} legend="Needed by (optional)" hint="The date after which it is no longer useful. It must be in the future. For example, 31 3 2027" />
      {currentPhoto ? (
        <div className="govuk-form-group">
          <p className="govuk-body govuk-!-margin-bottom-1">Current photo</p>
          <img src={currentPhoto.src} alt={currentPhoto.alt} className="app-wishlist-photo" width="300" />
          <div className="govuk-checkboxes govuk-checkboxes--small govuk-!-margin-top-2" data-module="govuk-checkboxes">
            <div className="govuk-checkboxes__item">
              <input className="govuk-checkboxes__input" id={fields.removePhoto.id} name={fields.removePhoto.name} type="checkbox" value="yes" defaultChecked={fields.removePhoto.initialValue === 'yes'} />
              <label className="govuk-label govuk-checkboxes__label" htmlFor={fields.removePhoto.id}>Remove this photo</label>
            </div>
          </div>
        </div>
      ) : null}
      <PhotoField field={fields.photo} label={currentPhoto ? 'Replace the photo (optional)' : 'Photo (optional)'} />
      <TextField field={fields.photoAlt} label="Describe the photo (needed if there is one)" hint={`For people who cannot see it, like “Children at a table doing homework”. Up to ${PHOTO_ALT_MAX} characters.`} autoComplete="off" />
    </>
  );
}
